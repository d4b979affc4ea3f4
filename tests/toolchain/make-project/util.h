double util_square(double x);
