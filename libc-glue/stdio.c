/* The POSIX.1-2008 names of newlib's __getdelim() and __getline(). */
#include <stdio.h>

ssize_t getdelim(char **line, size_t *size, int delim, FILE *stream)
{
	return __getdelim(line, size, delim, stream);
}

ssize_t getline(char **line, size_t *size, FILE *stream)
{
	return __getline(line, size, stream);
}
