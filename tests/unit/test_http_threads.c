/*
 * test_http_threads.c: how many HTTP workers and blocking threads a server
 * starts by default: one worker per CPU the process may run on (its
 * affinity, as taskset or a container's cpuset leave it), not per CPU the
 * machine has, and never fewer than two workers.
 */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/config.h"
#include "http/http.h"

static cpu_set_t saved;

static int
setup(void **state)
{
	(void)state;
	return sched_getaffinity(0, sizeof(saved), &saved);
}

static int
teardown(void **state)
{
	(void)state;
	return sched_setaffinity(0, sizeof(saved), &saved);
}

/* Keep the first `count` CPUs of the saved set; false when it has fewer. */
static bool
restrict_to(int count)
{
	cpu_set_t	 set;
	int		 kept = 0;

	CPU_ZERO(&set);
	for (int cpu = 0; cpu < CPU_SETSIZE && kept < count; cpu++) {
		if (CPU_ISSET(cpu, &saved)) {
			CPU_SET(cpu, &set);
			kept++;
		}
	}
	if (kept < count)
		return false;
	assert_int_equal(sched_setaffinity(0, sizeof(set), &set), 0);
	return true;
}

static void
test_workers_follow_the_affinity(void **state)
{
	int all = CPU_COUNT(&saved);

	(void)state;
	assert_int_equal(http_default_threads(), all > 64 ? 64 : all);
	assert_int_equal(http_default_blocking_threads(),
	    (all > 64 ? 64 : all) * 8);
	assert_true(restrict_to(1));
	assert_int_equal(http_default_threads(), 1);
	assert_int_equal(http_default_blocking_threads(), 8);
	if (restrict_to(2)) {
		assert_int_equal(http_default_threads(), 2);
		assert_int_equal(http_default_blocking_threads(), 16);
	}
}

static void
test_server_keeps_two_workers_on_one_cpu(void **state)
{
	struct config cfg;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	assert_true(restrict_to(1));
	assert_int_equal(config_http_threads(&cfg), 2);
	cfg.threads = 5;	/* asked for: as asked */
	assert_int_equal(config_http_threads(&cfg), 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_workers_follow_the_affinity,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_server_keeps_two_workers_on_one_cpu, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
