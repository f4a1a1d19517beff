/*
 * flags.c: command-line flags for every option of the configuration table,
 * plus a few per-command extras.  --config FILE is read where it appears, so
 * later flags override it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/daemon.h"

static const struct config_option *
option_find(const char *name, size_t len)
{
	for (const struct config_option *o = config_options; o->name != NULL; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	return NULL;
}

int
flags_parse(int argc, char **argv, struct config *cfg,
    const char *const *extra, const char **extra_values)
{
	struct error	 err;
	int		 i;

	for (i = 0; i < argc; i++) {
		const char	*arg = argv[i], *name, *eq, *value = NULL;
		const struct config_option *o;
		size_t		 len;
		bool		 matched = false;

		if (strncmp(arg, "--", 2) != 0 || strcmp(arg, "--") == 0)
			break;
		name = arg + 2;
		eq = strchr(name, '=');
		len = eq != NULL ? (size_t)(eq - name) : strlen(name);
		if (eq != NULL)
			value = eq + 1;

		for (size_t e = 0; extra != NULL && extra[e] != NULL; e++) {
			if (strlen(extra[e]) != len ||
			    strncmp(extra[e], name, len) != 0)
				continue;
			if (value == NULL && i + 1 < argc)
				value = argv[++i];
			if (value == NULL) {
				fprintf(stderr, "sesame: --%s needs a value\n",
				    extra[e]);
				return -1;
			}
			extra_values[e] = value;
			matched = true;
		}
		if (matched)
			continue;

		if (len == 6 && strncmp(name, "config", 6) == 0) {
			if (value == NULL && i + 1 < argc)
				value = argv[++i];
			if (value == NULL) {
				fprintf(stderr, "sesame: --config needs a file\n");
				return -1;
			}
			if (config_load_file(cfg, value, true, &err) != STATUS_OK) {
				fprintf(stderr, "sesame: %s\n", err.message);
				return -1;
			}
			continue;
		}
		if ((o = option_find(name, len)) == NULL) {
			fprintf(stderr, "sesame: unknown flag --%.*s (see --help)\n",
			    (int)len, name);
			return -1;
		}
		if (value == NULL && o->type == CONFIG_BOOLEAN)
			value = "true";
		else if (value == NULL && i + 1 < argc)
			value = argv[++i];
		if (value == NULL) {
			fprintf(stderr, "sesame: --%s needs a value\n", o->name);
			return -1;
		}
		if (config_set(cfg, o->name, value, &err) != STATUS_OK) {
			fprintf(stderr, "sesame: %s\n", err.message);
			return -1;
		}
	}
	return i;
}
