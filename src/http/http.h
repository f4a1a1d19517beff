/*
 * http.h: sockets and HTTP, nothing else.
 *
 * The listener hands the handler a complete, size-limited request (method,
 * path, headers, body, peer address, TLS or not) and sends back whatever
 * response the handler fills in.  It knows nothing of AWS.
 *
 * Thread-safety: the handler runs on libmicrohttpd's worker threads, several
 * at once; it must be reentrant.
 */
#ifndef SESAME_HTTP_H
#define SESAME_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/status.h"

#define HTTP_MAX_HEADERS	64

struct http_header {
	const char	*name;
	const char	*value;
};

struct http_request {
	const char		*method;
	const char		*path;		/* without the query */
	const char		*query;		/* re-encoded query or NULL */
	struct http_header	 headers[HTTP_MAX_HEADERS];
	size_t			 header_count;
	const unsigned char	*body;
	size_t			 body_len;
	char			 peer_address[64];
	bool			 is_tls;
};

struct http_response {
	int		 status;
	const char	*content_type;	/* static string */
	char		*body;		/* malloc'd; the listener frees it */
	size_t		 body_len;
	struct http_header extra[4];	/* static names, malloc'd values */
	size_t		 extra_count;
};

typedef void (*http_handler_fn)(void *arg, const struct http_request *req,
    struct http_response *resp);
/* May this request wait for the disk?  Then the handler runs it on the
 * blocking pool rather than on an epoll thread.  Called on an epoll
 * thread; must be cheap and reentrant. */
typedef bool (*http_may_block_fn)(void *arg, const struct http_request *req);

struct http_server_config {
	const char	*host;		/* numeric IPv4 or IPv6 address */
	uint16_t	 port;		/* 0: pick a free port */
	const char	*tls_cert_file;	/* PEM; NULL for plain HTTP */
	const char	*tls_key_file;
	unsigned	 threads;	/* worker threads (epoll each) */
	http_may_block_fn may_block;	/* NULL: run everything inline */
	unsigned	 blocking_threads; /* the pool for may_block requests */
	size_t		 max_body_bytes;
	size_t		 max_header_bytes;
	unsigned	 idle_timeout_seconds;
};

struct http_server;

enum status	 http_server_start(const struct http_server_config *cfg,
		    http_handler_fn handler, void *arg, struct http_server **out,
		    struct error *err);
/* The port actually bound (useful with port 0). */
uint16_t	 http_server_port(const struct http_server *srv);
/* The epoll threads when none are configured: one per CPU this process
 * may run on (its affinity), at most 64. */
unsigned	 http_default_threads(void);
/* The blocking pool's threads: eight per such CPU. */
unsigned	 http_default_blocking_threads(void);
void		 http_server_stop(struct http_server *srv);

/* Case-insensitive header lookup; NULL when absent. */
const char	*http_request_header(const struct http_request *req,
		    const char *name);
/* Add a header to the response; value is copied. */
void		 http_response_add_header(struct http_response *resp,
		    const char *name, const char *value);
/* Free body and extra header values (the listener calls this). */
void		 http_response_cleanup(struct http_response *resp);

#endif
