/*
 * http_internal.h: what the files of http/ share.
 */
#ifndef SESAME_HTTP_INTERNAL_H
#define SESAME_HTTP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"

/* ---- listening sockets, one per worker (listen_sockets.c) ---- */

/* count sockets listening on host (a numeric IPv4 or IPv6 address) and
 * port (0: any free one, the same for all), SO_REUSEPORT; fds receives
 * them and bound_port the port.  On failure none is left open. */
enum status	 http_listen_sockets_open(const char *host, uint16_t port,
		    size_t count, int *fds, uint16_t *bound_port,
		    struct error *err);

#endif
