/*
 * str_copy.h: bounded string copies.
 *
 * What snprintf(dst, size, "%s", src) and snprintf(dst, size, "%s%s", a,
 * b) do, without the printf machinery: at most size - 1 bytes, always
 * terminated when size > 0.  The request path copied ten identity fields
 * and a dozen names, ARNs and policy keys that way, about 10,000
 * instructions a request in vfprintf.
 */
#ifndef SESAME_STR_COPY_H
#define SESAME_STR_COPY_H

#include <stdarg.h>
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

/*
 * The strings up to the NULL that ends the list, one after the other;
 * true when all fitted.  None of them may be NULL but the last; size
 * must not be 0.
 */
static inline bool __attribute__((__sentinel__))
str_concat(char *dst, size_t size, ...)
{
	va_list		 ap;
	const char	*s;
	size_t		 len = 0;
	bool		 fits = true;

	if (size == 0)
		return false;
	dst[0] = '\0';
	va_start(ap, size);
	while (fits && (s = va_arg(ap, const char *)) != NULL) {
		fits = str_copy(dst + len, size - len, s);
		len += strlen(dst + len);
	}
	va_end(ap);
	return fits;
}

#endif
