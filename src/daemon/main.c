/*
 * main.c: the sesame command: server, init, admin.
 */
#include <stdio.h>
#include <string.h>

#include "daemon/daemon.h"

#define SESAME_VERSION	"0.1.0"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: sesame <command> [flags]\n"
	    "\n"
	    "commands:\n"
	    "  init     create a data folder: database, root key, account, admin key\n"
	    "  server   serve the AWS Secrets Manager API\n"
	    "  admin    accounts and access keys (create-account, import-access-key)\n"
	    "  audit    check (verify) and search (query) the audit log\n"
	    "  version  print the version\n"
	    "\n"
	    "`sesame <command> --help` explains each command.\n");
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "server") == 0)
		return cmd_server(argc - 2, argv + 2);
	if (strcmp(argv[1], "init") == 0)
		return cmd_init(argc - 2, argv + 2);
	if (strcmp(argv[1], "admin") == 0)
		return cmd_admin(argc - 2, argv + 2);
	if (strcmp(argv[1], "audit") == 0)
		return cmd_audit(argc - 2, argv + 2);
	if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("sesame %s\n", SESAME_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "sesame: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
