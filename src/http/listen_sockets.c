/*
 * listen_sockets.c: one listening socket per epoll worker, all on the same
 * address and port (SO_REUSEPORT), so that the kernel spreads connections
 * over the workers.
 *
 * libmicrohttpd's own thread pool lets every worker accept from one
 * listening socket, and a worker woken for a new connection takes up to
 * ten at once.  Clients that open their connections together (a
 * connection pool, a load generator, a fleet restarting) thus end up
 * mostly on one worker: measured with 64 connections opened at once, one
 * worker did 87% of the work while the other idled, and an open-loop load
 * at half the peak rate queued behind the busy worker.  With a socket per
 * worker the kernel picks the socket, by a hash of each connection's
 * addresses and ports, when the connection arrives.  (Handing accepted
 * connections to the pool with MHD_add_connection was tried first: with
 * 256 connections opened at once, libmicrohttpd 0.9.75's workers left
 * some of them unserved.)
 *
 * SO_REUSEPORT would also let a second server started on the same port by
 * mistake share the connections instead of failing.  So the port is first
 * bound alone, without SO_REUSEPORT, which fails while anyone holds it
 * (and picks the port when 0 was asked for); the workers' sockets take it
 * over once that one is closed.  (Another process of the same user could
 * still join on purpose; such a process can already do worse, ptrace the
 * server or read its data folder.)
 */
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/http_internal.h"

/* A socket bound to ss; listening and sharing the port when shared. */
static int
bind_one(const struct sockaddr_storage *ss, socklen_t len, bool shared)
{
	int	 on = 1;
	int	 fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
	    (shared && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on,
	    sizeof(on)) != 0) ||
	    (ss->ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) != 0) ||
	    bind(fd, (const struct sockaddr *)ss, len) != 0 ||
	    (shared && listen(fd, SOMAXCONN) != 0)) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

static uint16_t
port_of(const struct sockaddr_storage *ss)
{
	return ntohs(ss->ss_family == AF_INET ?
	    ((const struct sockaddr_in *)ss)->sin_port :
	    ((const struct sockaddr_in6 *)ss)->sin6_port);
}

enum status
http_listen_sockets_open(const char *host, uint16_t port, size_t count,
    int *fds, uint16_t *bound_port, struct error *err)
{
	struct sockaddr_storage	 ss, bound;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t		 len, bound_len = sizeof(bound);
	size_t			 n = 0;
	int			 probe, saved;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		len = sizeof(*sin);
	} else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		len = sizeof(*sin6);
	} else
		return error_set(err, STATUS_INVALID_PARAMETER,
		    "listen address %s is not a numeric IP address", host);
	/* Alone first: fails while anyone holds the port; picks it for 0. */
	if ((probe = bind_one(&ss, len, false)) < 0)
		goto fail;
	if (getsockname(probe, (struct sockaddr *)&bound, &bound_len) != 0) {
		saved = errno;
		close(probe);
		errno = saved;
		goto fail;
	}
	close(probe);
	*bound_port = port_of(&bound);
	if (ss.ss_family == AF_INET)
		sin->sin_port = htons(*bound_port);
	else
		sin6->sin6_port = htons(*bound_port);
	for (n = 0; n < count; n++)
		if ((fds[n] = bind_one(&ss, len, true)) < 0)
			goto fail;
	return STATUS_OK;
fail:
	saved = errno;
	while (n > 0)
		close(fds[--n]);
	return error_set(err, STATUS_IO, "cannot listen on %s port %u: %s",
	    host, port, strerror(saved));
}
