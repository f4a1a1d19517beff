/*
 * config.h: the server's options, from one table: built-in defaults, then
 * the configuration file (DATA_DIR/sesame.conf or --config), then flags.
 *
 * File format: "name = value" lines, '#' comments.  Errors are reported as
 * "file:line: message".  Secrets are never inline: the root key comes from a
 * file or the SESAME_ROOT_KEY environment variable.
 */
#ifndef SESAME_CONFIG_H
#define SESAME_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/status.h"

struct config {
	char		*data_dir;
	char		*listen;		/* "127.0.0.1:8080" */
	char		*tls_cert_file;
	char		*tls_key_file;
	char		*root_key_file;		/* default DATA_DIR/root.key */
	char		*root_key_source;	/* auto, file, env or pkcs11 */
	char		*pkcs11_module;
	char		*pkcs11_token_label;	/* NULL: the first token */
	char		*pkcs11_key_label;
	char		*pkcs11_pin_file;	/* NULL: SESAME_PKCS11_PIN */
	char		*pkcs11_wrapped_key_file; /* default DATA_DIR/root.key.p11 */
	char		*audit_dir;		/* default DATA_DIR/audit */
	char		*audit_on_failure;	/* "deny" or "allow" */
	int64_t		 audit_file_max_bytes;
	int64_t		 audit_rotate_seconds;
	int64_t		 audit_sync_interval_ms;
	bool		 metrics_allow_remote;
	char		*log_level;
	int64_t		 threads;
	int64_t		 max_body_bytes;
	int64_t		 max_header_bytes;
	int64_t		 max_clock_skew_seconds;
	int64_t		 idle_timeout_seconds;
	int64_t		 test_clock_offset_seconds;
	int64_t		 purge_interval_seconds;
	/* rotation */
	int64_t		 rotation_interval_seconds;
	int64_t		 rotation_retry_seconds;
	int64_t		 rotation_function_timeout_seconds;
	char		*rotation_endpoint_url;	/* default: from listen */
	bool		 allow_insecure_remote;
};

enum config_type { CONFIG_STRING, CONFIG_INTEGER, CONFIG_BOOLEAN };

struct config_option {
	const char	*name;		/* file key; the flag is --name with '-' */
	enum config_type type;
	size_t		 offset;
	const char	*default_value;	/* NULL: unset */
	int64_t		 min, max;	/* integers */
	const char	*help;
};

extern const struct config_option config_options[];

void		 config_init(struct config *cfg);
void		 config_cleanup(struct config *cfg);
/* Set one option by name from text (file value or flag argument). */
enum status	 config_set(struct config *cfg, const char *name,
		    const char *value, struct error *err);
/* Read a configuration file; a missing file is an error only if required. */
enum status	 config_load_file(struct config *cfg, const char *path,
		    bool required, struct error *err);
/* Fill defaults that depend on other options; check consistency. */
enum status	 config_finish(struct config *cfg, struct error *err);
/* HTTP worker threads: `threads`, else one per usable CPU, at least 2 (so
 * RotateSecret's test of a rotation function, which waits on one thread,
 * leaves another for the function's calls back). */
unsigned	 config_http_threads(const struct config *cfg);
/* Split cfg->listen into a host and a port. */
enum status	 config_listen_parse(const char *listen, char *host,
		    size_t host_len, uint16_t *port, struct error *err);

#endif
