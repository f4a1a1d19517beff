/*
 * str_copy.h: a bounded string copy.
 *
 * What snprintf(dst, size, "%s", src) does, without the printf machinery:
 * at most size - 1 bytes of src, always terminated when size > 0.  The
 * request path copied ten identity fields and a dozen names and ARNs that
 * way, about 5,000 instructions a request in vfprintf.
 */
#ifndef SESAME_STR_COPY_H
#define SESAME_STR_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* True when all of src fitted. A NULL src copies as "". */
static inline bool
str_copy(char *dst, size_t size, const char *src)
{
	size_t	 n;

	if (size == 0)
		return src == NULL || src[0] == '\0';
	n = src != NULL ? strnlen(src, size) : 0;
	if (n == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return false;
	}
	memcpy(dst, src != NULL ? src : "", n);
	dst[n] = '\0';
	return true;
}

#endif
