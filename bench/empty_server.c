/*
 * empty_server.c: the benchmark's ceiling on Sesame's own HTTP stack.
 *
 * Links src/http/listener.c unchanged (the same libmicrohttpd, the same
 * epoll thread pool, the same request collection and response path) with a
 * handler that does no work: it answers every request 200 with a fixed body
 * of --body-bytes bytes and the one extra header Sesame's responses carry
 * (x-amzn-RequestId), so the bytes on the wire match a GetSecretValue
 * answer.  Whatever this binary cannot exceed, the real server cannot
 * either.
 *
 * Thread-safety: the handler only reads the fixed body.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "http/http.h"

#define REQUEST_ID	"00000000-0000-4000-8000-000000000000"

static char	*fixed_body;
static size_t	 fixed_body_len;

static void
empty_handler(void *arg, const struct http_request *req,
    struct http_response *resp)
{
	resp->status = 200;
	resp->content_type = "application/x-amz-json-1.1";
	/* The listener frees the body, as it does the real handler's. */
	if ((resp->body = malloc(fixed_body_len + 1)) != NULL) {
		memcpy(resp->body, fixed_body, fixed_body_len);
		resp->body_len = fixed_body_len;
	}
	http_response_add_header(resp, "x-amzn-RequestId", REQUEST_ID);
}

/* A JSON object of exactly n bytes (n >= 10). */
static char *
body_make(size_t n)
{
	char	*b;

	if (n < 10)
		n = 10;
	if ((b = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(b, "{\"pad\":\"", 8);
	memset(b + 8, 'x', n - 10);
	memcpy(b + n - 2, "\"}", 2);
	b[n] = '\0';
	fixed_body_len = n;
	return b;
}

static void
usage(void)
{
	fprintf(stderr, "usage: empty_server --port N [--host ADDR] "
	    "[--threads N] [--body-bytes N]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct http_server_config cfg;
	struct http_server	*srv = NULL;
	struct error		 err;
	sigset_t		 signals;
	size_t			 body_bytes = 200;
	int			 sig;

	memset(&cfg, 0, sizeof(cfg));
	cfg.host = "127.0.0.1";
	cfg.threads = http_default_threads();
	cfg.max_body_bytes = 1048576;
	cfg.max_header_bytes = 32768;
	cfg.idle_timeout_seconds = 60;
	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (v == NULL)
			usage();
		if (strcmp(argv[i], "--host") == 0)
			cfg.host = v;
		else if (strcmp(argv[i], "--port") == 0)
			cfg.port = (uint16_t)strtoul(v, NULL, 10);
		else if (strcmp(argv[i], "--threads") == 0) {
			cfg.threads = (unsigned)strtoul(v, NULL, 10);
			if (cfg.threads == 0)
				cfg.threads = http_default_threads();
		} else if (strcmp(argv[i], "--body-bytes") == 0)
			body_bytes = (size_t)strtoul(v, NULL, 10);
		else
			usage();
		i++;
	}
	if (cfg.port == 0)
		usage();
	if ((fixed_body = body_make(body_bytes)) == NULL)
		fatal("out of memory");

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&signals);
	sigaddset(&signals, SIGTERM);
	sigaddset(&signals, SIGINT);
	pthread_sigmask(SIG_BLOCK, &signals, NULL);
	if (http_server_start(&cfg, empty_handler, NULL, &srv, &err) !=
	    STATUS_OK)
		fatal("%s", err.message);
	fprintf(stderr, "empty_server: listening on %s:%u, %u threads, "
	    "%zu-byte body\n", cfg.host, http_server_port(srv), cfg.threads,
	    fixed_body_len);
	(void)sigwait(&signals, &sig);
	http_server_stop(srv);
	free(fixed_body);
	return 0;
}
