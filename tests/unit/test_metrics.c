/*
 * test_metrics.c: the counters behind GET /metrics and their Prometheus
 * text: labels merged by name, histograms cumulative and consistent,
 * "unknown" operations, concurrent recording.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "metrics/metrics.h"

static const char *const operations[] = { "GetSecretValue", "CreateSecret" };

/* Two internal statuses share one label, as InternalServiceError does. */
static const char *
label(enum status st)
{
	switch (st) {
	case STATUS_OK:			return "success";
	case STATUS_ACCESS_DENIED:	return "AccessDeniedException";
	case STATUS_INVALID_SIGNATURE:	return "InvalidSignatureException";
	case STATUS_IO:
	case STATUS_INTERNAL:		return "InternalServiceError";
	default:			return "Other";
	}
}

static char *
render(struct metrics *m)
{
	char	*text = NULL;
	size_t	 len = 0;

	assert_int_equal(metrics_render(m, &text, &len), STATUS_OK);
	assert_int_equal(strlen(text), len);
	return text;
}

static void
assert_has(const char *text, const char *line)
{
	if (strstr(text, line) == NULL)
		fail_msg("missing \"%s\" in:\n%s", line, text);
}

static void
test_requests_are_counted_by_operation_and_result(void **state)
{
	struct metrics	*m = metrics_new(operations, 2, label);
	char		*text;

	(void)state;
	assert_int_equal(metrics_operation_index(m, "CreateSecret"), 1);
	assert_int_equal(metrics_operation_index(m, "Nope"), 2);
	metrics_request(m, 0, STATUS_OK, 1000);
	metrics_request(m, 0, STATUS_OK, 1000);
	metrics_request(m, 0, STATUS_ACCESS_DENIED, 1000);
	metrics_request(m, 1, STATUS_IO, 1000);
	metrics_request(m, 1, STATUS_INTERNAL, 1000);
	metrics_request(m, 2, STATUS_INVALID_SIGNATURE, 1000);
	text = render(m);
	assert_has(text, "# TYPE sesame_requests_total counter\n");
	assert_has(text, "sesame_requests_total{operation=\"GetSecretValue\","
	    "result=\"success\"} 2\n");
	assert_has(text, "sesame_requests_total{operation=\"GetSecretValue\","
	    "result=\"AccessDeniedException\"} 1\n");
	assert_has(text, "sesame_requests_total{operation=\"CreateSecret\","
	    "result=\"InternalServiceError\"} 2\n");
	assert_has(text, "sesame_requests_total{operation=\"unknown\","
	    "result=\"InvalidSignatureException\"} 1\n");
	/* The merged label appears once. */
	assert_null(strstr(strstr(text, "result=\"InternalServiceError\"") + 1,
	    "result=\"InternalServiceError\""));
	free(text);
	metrics_free(m);
}

static void
test_latency_histogram_is_cumulative(void **state)
{
	struct metrics	*m = metrics_new(operations, 2, label);
	char		*text;

	(void)state;
	metrics_request(m, 0, STATUS_OK, 200 * 1000);		/* 0.2 ms */
	metrics_request(m, 0, STATUS_OK, 3 * 1000 * 1000);	/* 3 ms */
	metrics_request(m, 0, STATUS_OK, 20LL * 1000 * 1000 * 1000); /* 20 s */
	text = render(m);
	assert_has(text, "# TYPE sesame_request_duration_seconds histogram\n");
	assert_has(text, "sesame_request_duration_seconds_bucket{operation="
	    "\"GetSecretValue\",le=\"0.0005\"} 1\n");
	assert_has(text, "sesame_request_duration_seconds_bucket{operation="
	    "\"GetSecretValue\",le=\"0.0025\"} 1\n");
	assert_has(text, "sesame_request_duration_seconds_bucket{operation="
	    "\"GetSecretValue\",le=\"0.005\"} 2\n");
	assert_has(text, "sesame_request_duration_seconds_bucket{operation="
	    "\"GetSecretValue\",le=\"10\"} 2\n");
	assert_has(text, "sesame_request_duration_seconds_bucket{operation="
	    "\"GetSecretValue\",le=\"+Inf\"} 3\n");
	assert_has(text, "sesame_request_duration_seconds_count{operation="
	    "\"GetSecretValue\"} 3\n");
	assert_has(text, "sesame_request_duration_seconds_sum{operation="
	    "\"GetSecretValue\"} 20.003200000\n");
	/* No samples for an operation never seen. */
	assert_null(strstr(text, "duration_seconds_count{operation=\"CreateSecret\""));
	free(text);
	metrics_free(m);
}

static enum status
two_accounts(void *arg, void (*emit)(void *, const char *, int64_t),
    void *emit_arg)
{
	(void)arg;
	emit(emit_arg, "123456789012", 3);
	emit(emit_arg, "210987654321", 0);
	return STATUS_OK;
}

static void
test_fixed_families_are_always_present(void **state)
{
	struct metrics	*m = metrics_new(operations, 2, label);
	char		*text;

	(void)state;
	text = render(m);
	assert_has(text, "sesame_rotations_total{result=\"succeeded\"} 0\n");
	assert_has(text, "sesame_rotations_total{result=\"failed\"} 0\n");
	assert_has(text, "sesame_audit_write_failures_total 0\n");
	assert_has(text, "sesame_audit_events_total 0\n");
	assert_has(text, "sesame_alarms_total{alarm="
	    "\"SecretScheduledForDeletionAccessed\"} 0\n");
	assert_has(text, "sesame_secrets_scrape_error 1\n");
	free(text);

	metrics_authentication_failure(m, STATUS_INVALID_SIGNATURE);
	metrics_authorization_denial(m, 1);
	metrics_rotation(m, false);
	metrics_audit_event(m, true);
	metrics_audit_event(m, false);
	metrics_alarm(m, METRICS_ALARM_DELETED_SECRET_ACCESS);
	metrics_set_secret_counter(m, two_accounts, NULL);
	text = render(m);
	assert_has(text, "sesame_authentication_failures_total{reason="
	    "\"InvalidSignatureException\"} 1\n");
	assert_has(text, "sesame_authorization_denials_total{operation="
	    "\"CreateSecret\"} 1\n");
	assert_has(text, "sesame_rotations_total{result=\"failed\"} 1\n");
	assert_has(text, "sesame_audit_events_total 1\n");
	assert_has(text, "sesame_audit_write_failures_total 1\n");
	assert_has(text, "sesame_alarms_total{alarm="
	    "\"SecretScheduledForDeletionAccessed\"} 1\n");
	assert_has(text, "sesame_secrets{account_id=\"123456789012\"} 3\n");
	assert_has(text, "sesame_secrets{account_id=\"210987654321\"} 0\n");
	assert_has(text, "sesame_secrets_scrape_error 0\n");
	free(text);
	metrics_free(m);
}

static void
test_every_line_is_exposition_format(void **state)
{
	struct metrics	*m = metrics_new(operations, 2, label);
	char		*text, *line, *save = NULL;

	(void)state;
	metrics_request(m, 0, STATUS_OK, 1000);
	metrics_request(m, 2, STATUS_ACCESS_DENIED, 1000);
	text = render(m);
	assert_int_equal(text[strlen(text) - 1], '\n');
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		const char	*value;
		char		*end;

		if (strncmp(line, "# HELP ", 7) == 0 ||
		    strncmp(line, "# TYPE ", 7) == 0)
			continue;
		assert_true(line[0] >= 'a' && line[0] <= 'z');
		assert_non_null(value = strrchr(line, ' '));
		(void)strtod(value + 1, &end);
		assert_int_equal(*end, '\0');
	}
	free(text);
	metrics_free(m);
}

static void *
hammer(void *arg)
{
	struct metrics *m = arg;

	for (int i = 0; i < 100000; i++)
		metrics_request(m, (size_t)(i % 3), STATUS_OK, i);
	return NULL;
}

static void
test_concurrent_counting_loses_nothing(void **state)
{
	struct metrics	*m = metrics_new(operations, 2, label);
	pthread_t	 threads[4];
	char		*text;

	(void)state;
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, hammer, m), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(threads[i], NULL);
	text = render(m);
	/* 4 x 100000 requests spread over three operations. */
	assert_has(text, "sesame_requests_total{operation=\"GetSecretValue\","
	    "result=\"success\"} 133336\n");
	assert_has(text, "sesame_requests_total{operation=\"unknown\","
	    "result=\"success\"} 133332\n");
	free(text);
	metrics_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requests_are_counted_by_operation_and_result),
		cmocka_unit_test(test_latency_histogram_is_cumulative),
		cmocka_unit_test(test_fixed_families_are_always_present),
		cmocka_unit_test(test_every_line_is_exposition_format),
		cmocka_unit_test(test_concurrent_counting_loses_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
