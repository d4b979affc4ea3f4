/*
 * fnmatch() and glob(), enough for a configuration file that includes
 * "conf.d/\*.conf": wildcards (*, ?, [...]) are matched in the last path
 * component only; a pattern with wildcards in a directory part fails with
 * GLOB_ABEND.  Flags other than GLOB_ERR, GLOB_NOSORT, GLOB_NOCHECK and
 * GLOB_MARK are ignored.
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Matches c against the bracket expression at *p ('[' already read). */
static int fnm_bracket(const char **pp, char c)
{
	const char *p = *pp;
	int negate = (*p == '!' || *p == '^');
	int hit = 0;
	if (negate)
		p++;
	do {
		char lo = *p++, hi = lo;
		if (!lo)
			return -1; /* unterminated: not a bracket */
		if (*p == '-' && p[1] && p[1] != ']') {
			hi = p[1];
			p += 2;
		}
		if (lo <= c && c <= hi)
			hit = 1;
	} while (*p != ']');
	*pp = p + 1;
	return hit != negate;
}

int fnmatch(const char *pat, const char *s, int flags)
{
	const char *star_p = NULL, *star_s = NULL;
	const char *start = s;
	while (*s) {
		const char *p = pat;
		int period = (flags & FNM_PERIOD) && *s == '.' &&
		             (s == start || ((flags & FNM_PATHNAME) && s[-1] == '/'));
		if (*p == '*' && !period) {
			star_p = ++pat, star_s = s;
			continue;
		}
		if (*p == '?' && !period && !((flags & FNM_PATHNAME) && *s == '/')) {
			pat++, s++;
			continue;
		}
		if (*p == '[' && !period) {
			const char *q = p + 1;
			int r = fnm_bracket(&q, *s);
			if (r == 1) {
				pat = q, s++;
				continue;
			}
			if (r == 0)
				goto backtrack;
		}
		if (*p == '\\' && !(flags & FNM_NOESCAPE) && p[1])
			p++;
		if (*p == *s && *p) {
			pat = p + 1, s++;
			continue;
		}
	backtrack:
		if (!star_p || ((flags & FNM_PATHNAME) && *star_s == '/'))
			return FNM_NOMATCH;
		pat = star_p, s = ++star_s;
	}
	while (*pat == '*')
		pat++;
	return *pat ? FNM_NOMATCH : 0;
}

static int glob_add(glob_t *g, const char *dir, const char *name, int mark)
{
	size_t n = (dir ? strlen(dir) + 1 : 0) + strlen(name) + 2;
	char *path = malloc(n);
	char **v = realloc(g->gl_pathv, (size_t)(g->gl_pathc + 2) * sizeof(char *));
	if (!path || !v) {
		free(path);
		if (v)
			g->gl_pathv = v;
		return GLOB_NOSPACE;
	}
	g->gl_pathv = v;
	strcpy(path, dir ? dir : "");
	if (dir)
		strcat(path, "/");
	strcat(path, name);
	struct stat st;
	if (mark && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		strcat(path, "/");
	v[g->gl_pathc++] = path;
	v[g->gl_pathc] = NULL;
	g->gl_matchc++;
	return 0;
}

static int glob_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int glob_dir(const char *dir, const char *pat, int flags, glob_t *g)
{
	DIR *d = opendir(dir ? (*dir ? dir : "/") : ".");
	if (!d)
		return (flags & GLOB_ERR) ? GLOB_ABEND : 0;
	struct dirent *e;
	int r = 0;
	while (!r && (e = readdir(d)))
		if (fnmatch(pat, e->d_name, FNM_PERIOD) == 0)
			r = glob_add(g, dir, e->d_name, flags & GLOB_MARK);
	closedir(d);
	return r;
}

int glob(const char *pattern, int flags, int (*errfunc)(const char *, int), glob_t *g)
{
	(void)errfunc;
	if (!(flags & GLOB_APPEND)) {
		g->gl_pathc = g->gl_matchc = 0;
		g->gl_pathv = NULL;
	}
	g->gl_flags = flags;
	char *copy = strdup(pattern);
	if (!copy)
		return GLOB_NOSPACE;
	char *slash = strrchr(copy, '/');
	char *dir = slash ? copy : NULL, *last = slash ? slash + 1 : copy;
	if (slash)
		*slash = '\0';
	int r = GLOB_ABEND;
	int first = g->gl_pathc;
	if (!dir || !strpbrk(dir, "*?["))
		r = glob_dir(dir, last, flags, g);
	free(copy);
	if (r == 0 && g->gl_pathc == first && (flags & GLOB_NOCHECK))
		r = glob_add(g, NULL, pattern, 0);
	if (r == 0 && !(flags & GLOB_NOSORT))
		qsort(g->gl_pathv + first, (size_t)(g->gl_pathc - first), sizeof(char *), glob_cmp);
	if (r == 0 && g->gl_pathc == first)
		r = GLOB_ABEND; /* no match: this glob.h has no GLOB_NOMATCH */
	return r;
}

void globfree(glob_t *g)
{
	for (int i = 0; i < g->gl_pathc; i++)
		free(g->gl_pathv[i]);
	free(g->gl_pathv);
	g->gl_pathv = NULL;
	g->gl_pathc = 0;
}
