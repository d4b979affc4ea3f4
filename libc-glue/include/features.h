/*
 * glibc's <features.h>: programs built for Linux (__linux__ is predefined)
 * include it for the feature-test macros; newlib keeps them in
 * <sys/features.h>.
 */
#ifndef TORO_FEATURES_H
#define TORO_FEATURES_H

#include <sys/features.h>

#endif
