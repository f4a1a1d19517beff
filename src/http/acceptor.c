/*
 * acceptor.c: the listening socket, accepted on one thread of its own,
 * each connection handed to libmicrohttpd's epoll workers in turn.
 *
 * Left to itself, libmicrohttpd's thread pool lets every worker accept
 * from the one listening socket, and a worker woken for a new connection
 * takes up to ten at once.  Clients that open their connections together
 * (a connection pool, a load generator, a fleet restarting) thus end up
 * mostly on one worker: measured with 64 connections opened at once, one
 * worker did 87% of the work while the other idled, so the server ran at
 * about one CPU, and an open-loop load at half the peak rate queued behind
 * the busy worker (p99 from 5 to 190 ms).  Here the workers never see the
 * socket (MHD_USE_NO_LISTEN_SOCKET); this thread accepts each connection
 * and MHD_add_connection gives it to a worker, which libmicrohttpd picks
 * by the descriptor's number (consecutive connections alternate).
 *
 * The thread blocks in accept4(2) and costs nothing while nobody
 * connects.  Stopping shuts the socket down, which ends the wait.
 *
 * Thread-safety: open and close on one thread; the accept thread only
 * reads what open set.
 */
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "common/log.h"
#include "http/http_internal.h"

struct http_acceptor {
	int			 fd;
	uint16_t		 port;
	struct MHD_Daemon	*daemon;
	pthread_t		 thread;
	bool			 has_thread;
};

enum status
http_acceptor_open(const char *host, uint16_t port,
    struct http_acceptor **out, struct error *err)
{
	struct http_acceptor	*a = NULL;
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t		 len;
	int			 on = 1;
	enum status		 st = STATUS_IO;

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
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return error_set(err, STATUS_NO_MEMORY, "out of memory");
	a->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (a->fd < 0 ||
	    setsockopt(a->fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
	    (ss.ss_family == AF_INET6 && setsockopt(a->fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) != 0) ||
	    bind(a->fd, (struct sockaddr *)&ss, len) != 0 ||
	    listen(a->fd, SOMAXCONN) != 0) {
		st = error_set(err, STATUS_IO, "cannot listen on %s port %u: %s",
		    host, port, strerror(errno));
		goto out;
	}
	len = sizeof(ss);
	if (getsockname(a->fd, (struct sockaddr *)&ss, &len) != 0) {
		st = error_set(err, STATUS_IO, "cannot read the bound port: %s",
		    strerror(errno));
		goto out;
	}
	a->port = ntohs(ss.ss_family == AF_INET ? sin->sin_port :
	    sin6->sin6_port);
	*out = a;
	a = NULL;
	st = STATUS_OK;
out:
	http_acceptor_close(a);
	return st;
}

uint16_t
http_acceptor_port(const struct http_acceptor *a)
{
	return a->port;
}

static void
pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void *
acceptor_run(void *arg)
{
	struct http_acceptor	*a = arg;
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	time_t			 said = 0;
	int			 fd;

	for (;;) {
		len = sizeof(ss);
		fd = accept4(a->fd, (struct sockaddr *)&ss, &len,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			/* Closes fd itself when it cannot take it. */
			if (MHD_add_connection(a->daemon, fd,
			    (struct sockaddr *)&ss, len) != MHD_YES)
				log_warn("http: a connection was refused: %s",
				    strerror(errno));
			continue;
		}
		switch (errno) {
		case EINTR:
		case ECONNABORTED:
		case EPROTO:
		case EPERM:
			continue;
		case EMFILE:
		case ENFILE:
		case ENOBUFS:
		case ENOMEM:
			/* Out of descriptors or memory: say so once a
			 * second, and let the pending ones wait. */
			if (time(NULL) != said) {
				said = time(NULL);
				log_error("http: cannot accept a connection: %s",
				    strerror(errno));
			}
			pause_ms(10);
			continue;
		default:
			/* EINVAL after the shutdown in close, or worse. */
			return NULL;
		}
	}
}

enum status
http_acceptor_start(struct http_acceptor *a, struct MHD_Daemon *daemon,
    struct error *err)
{
	a->daemon = daemon;
	if (pthread_create(&a->thread, NULL, acceptor_run, a) != 0)
		return error_set(err, STATUS_INTERNAL,
		    "cannot start the accepting thread");
	a->has_thread = true;
	return STATUS_OK;
}

void
http_acceptor_close(struct http_acceptor *a)
{
	if (a == NULL)
		return;
	if (a->has_thread) {
		(void)shutdown(a->fd, SHUT_RDWR);
		pthread_join(a->thread, NULL);
	}
	if (a->fd >= 0)
		close(a->fd);
	free(a);
}
