/*
 * fuzz_config.c: the configuration file parser (config_load_file and
 * config_set in src/daemon/config.c) and the listen-address parser
 * (config_listen_parse), which read DATA_DIR/sesame.conf and --config
 * files at start-up.
 *
 * The input is the file's contents, handed over through a memfd so the
 * real fopen/getline path runs.  Properties beyond the sanitizers: a file
 * that loads leaves every integer option inside its table's bounds and the
 * data folder untouched (it cannot be set from the file); an error names
 * the file and a line ("path:N: ...") unless the file itself failed; a
 * parsed listen address has a non-empty host that fits its buffer.
 */
#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/config.h"
#include "fuzz_common.h"

static void
check_bounds(const struct config *cfg)
{
	for (const struct config_option *o = config_options; o->name != NULL;
	    o++) {
		const char *base = (const char *)cfg + o->offset;

		if (o->type == CONFIG_INTEGER) {
			int64_t v = *(const int64_t *)(const void *)base;

			FUZZ_CHECK(v >= o->min && v <= o->max);
		} else if (o->type == CONFIG_STRING) {
			const char *s = *(char *const *)(const void *)base;

			FUZZ_CHECK(s == NULL || strlen(s) < 4096);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	 cfg;
	struct error	 err;
	char		 path[64], host[256];
	uint16_t	 port;
	enum status	 st;
	int		 fd;

	if ((fd = memfd_create("sesame.conf", MFD_CLOEXEC)) < 0)
		abort();
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);

	config_init(&cfg);
	FUZZ_CHECK(config_set(&cfg, "data-dir", "/fuzz/data", NULL) ==
	    STATUS_OK);
	memset(&err, 0, sizeof(err));
	st = config_load_file(&cfg, path, true, &err);
	FUZZ_CHECK_ERROR(&err);
	check_bounds(&cfg);
	FUZZ_CHECK(strcmp(cfg.data_dir, "/fuzz/data") == 0);
	if (st != STATUS_OK) {
		FUZZ_CHECK(strncmp(err.message, path, strlen(path)) == 0);
		FUZZ_CHECK(err.message[strlen(path)] == ':');
	} else {
		memset(&err, 0, sizeof(err));
		(void)config_finish(&cfg, &err);
		FUZZ_CHECK_ERROR(&err);
		FUZZ_CHECK(cfg.root_key_file != NULL && cfg.audit_dir != NULL);
	}
	if (cfg.listen != NULL &&
	    config_listen_parse(cfg.listen, host, sizeof(host), &port,
	    &err) == STATUS_OK) {
		FUZZ_CHECK(host[0] != '\0');
		FUZZ_CHECK(strlen(host) < sizeof(host));
	}
	FUZZ_CHECK_ERROR(&err);
	config_cleanup(&cfg);
	close(fd);
	return 0;
}
