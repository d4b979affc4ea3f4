/* kernel/time.c: time_civil_to_unix (the clocks need a CPU; see tests/vm). */
#include <stdint.h>
#include <kernel/time.h>
#include "check.h"

static void test_known_dates(void)
{
	CHECK_EQ(time_civil_to_unix(1970, 1, 1, 0, 0, 0), 0);
	CHECK_EQ(time_civil_to_unix(2000, 1, 1, 0, 0, 0), 946684800);
	CHECK_EQ(time_civil_to_unix(2024, 2, 29, 12, 34, 56), 1709210096);
	CHECK_EQ(time_civil_to_unix(2038, 1, 19, 3, 14, 8), 2147483648LL); /* past int32 */
	CHECK_EQ(time_civil_to_unix(2100, 3, 1, 0, 0, 0), 4107542400LL);
	/* 2100 is not a leap year: 28 Feb is the day before 1 Mar */
	CHECK_EQ(time_civil_to_unix(2100, 2, 28, 23, 59, 59), 4107542399LL);
	/* 2000 and 2400 are */
	CHECK_EQ(time_civil_to_unix(2000, 3, 1, 0, 0, 0) - time_civil_to_unix(2000, 2, 28, 0, 0, 0),
		 2 * 86400);
	CHECK_EQ(time_civil_to_unix(2400, 2, 29, 0, 0, 0), 13574563200LL);
}

static void test_before_epoch(void)
{
	CHECK_EQ(time_civil_to_unix(1969, 12, 31, 23, 59, 59), -1);
	CHECK_EQ(time_civil_to_unix(1600, 3, 1, 0, 0, 0), -11670912000LL);
}

static void test_days_are_contiguous(void)
{
	/* every day of 1999..2101 is 86400 s after the one before */
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int64_t prev = time_civil_to_unix(1998, 12, 31, 0, 0, 0);
	int bad = 0;
	for (int y = 1999; y <= 2101; y++) {
		int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		for (int m = 1; m <= 12; m++) {
			int nd = mdays[m - 1] + (m == 2 && leap);
			for (int d = 1; d <= nd; d++) {
				int64_t t = time_civil_to_unix(y, m, d, 0, 0, 0);
				bad += t - prev != 86400;
				prev = t;
			}
		}
	}
	CHECK_EQ(bad, 0);
}

int main(void)
{
	test_known_dates();
	test_before_epoch();
	test_days_are_contiguous();
	return check_summary("time");
}
