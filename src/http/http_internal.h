/*
 * http_internal.h: what the files of http/ share.
 */
#ifndef SESAME_HTTP_INTERNAL_H
#define SESAME_HTTP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "common/status.h"

struct MHD_Daemon;

/* ---- the listening socket and its accepting thread (acceptor.c) ---- */

struct http_acceptor;

/* Bind host (a numeric IPv4 or IPv6 address) and port (0: any) and
 * listen.  Nothing is accepted before http_acceptor_start. */
enum status	 http_acceptor_open(const char *host, uint16_t port,
		    struct http_acceptor **out, struct error *err);
uint16_t	 http_acceptor_port(const struct http_acceptor *a);
/* Accept on a thread of its own, each connection handed to daemon (which
 * runs without a listening socket of its own). */
enum status	 http_acceptor_start(struct http_acceptor *a,
		    struct MHD_Daemon *daemon, struct error *err);
/* Stop accepting and close the socket; NULL is fine. */
void		 http_acceptor_close(struct http_acceptor *a);

#endif
