/*
 * test_query_protocol.c: the AWS Query protocol of IAM and STS: form
 * bodies decoded into structures and lists within strict bounds, and XML
 * answers and errors written with escaping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "protocol/protocol.h"

static json_t *
parse_ok(const char *body)
{
	struct error	 err;
	json_t		*out = NULL;

	error_clear(&err);
	if (query_protocol_parse((const unsigned char *)body, strlen(body),
	    &out, &err) != STATUS_OK)
		fail_msg("\"%s\" refused: %s", body, err.message);
	return out;
}

static void
assert_refused(const char *body, size_t len)
{
	struct error	 err;
	json_t		*out = NULL;

	error_clear(&err);
	if (query_protocol_parse((const unsigned char *)body, len, &out,
	    &err) != STATUS_SERIALIZATION) {
		json_decref(out);
		fail_msg("\"%.*s\" accepted", (int)len, body);
	}
	assert_null(out);
	assert_non_null(strstr(err.message, "not a valid form"));
}

static void
test_form_decodes_into_structures_and_lists(void **state)
{
	json_t	*in, *tags;

	(void)state;
	in = parse_ok("Action=CreateUser&Version=2010-05-08&UserName=a+b%2Fc"
	    "&Tags.member.2.Key=k2&Tags.member.2.Value=v2"
	    "&Tags.member.1.Key=k1&Tags.member.1.Value=&"
	    "PolicyArns.member.1.arn=arn%3Ax&TagKeys.member.1=z");
	assert_string_equal(json_string_value(json_object_get(in, "Action")),
	    "CreateUser");
	assert_string_equal(json_string_value(json_object_get(in, "UserName")),
	    "a b/c");
	tags = json_object_get(in, "Tags");
	assert_true(json_is_array(tags));
	assert_int_equal(json_array_size(tags), 2);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(tags, 0), "Key")), "k1");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(tags, 0), "Value")), "");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(tags, 1), "Value")), "v2");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(in, "PolicyArns"), 0), "arn")), "arn:x");
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(in, "TagKeys"), 0)), "z");
	json_decref(in);
}

static void
test_empty_body_and_empty_pairs_are_an_empty_request(void **state)
{
	json_t	*in;

	(void)state;
	in = parse_ok("");
	assert_int_equal(json_object_size(in), 0);
	json_decref(in);
	in = parse_ok("&&Action=ListUsers&");
	assert_int_equal(json_object_size(in), 1);
	json_decref(in);
}

static void
test_botocore_empty_list_stays_an_empty_string(void **state)
{
	json_t	*in;

	(void)state;
	in = parse_ok("Action=TagUser&Tags=");
	assert_string_equal(json_string_value(json_object_get(in, "Tags")), "");
	json_decref(in);
	in = parse_ok("Flag");
	assert_string_equal(json_string_value(json_object_get(in, "Flag")), "");
	json_decref(in);
}

static void
test_repeated_and_conflicting_names_are_refused(void **state)
{
	(void)state;
	assert_refused("A=1&A=2", 7);
	assert_refused("A=1&A.b=2", 9);
	assert_refused("A.b=2&A=1", 9);
	assert_refused("A.member.1=x&A.member.1=y", 25);
}

static void
test_bad_escapes_nul_and_invalid_utf8_are_refused(void **state)
{
	(void)state;
	assert_refused("A=%G0", 5);
	assert_refused("A=%4", 4);
	assert_refused("A=%", 3);
	assert_refused("A=%00", 5);
	assert_refused("A%00=1", 6);
	assert_refused("A=\0", 3);
	assert_refused("A=%C3%28", 8);
	assert_refused("A=%FF", 5);
	assert_refused("%FF=1", 5);
}

static void
test_names_and_list_positions_are_bounded(void **state)
{
	char	 big[QUERY_NAME_MAX + 8];

	(void)state;
	assert_refused("=1", 2);
	assert_refused("A..b=1", 6);
	assert_refused("A.=1", 4);
	assert_refused("A.b.c.d.e.f.g.h.i=1", 19);
	assert_refused("L.member.0=x", 12);
	assert_refused("L.member.01=x", 13);
	assert_refused("L.member.1001=x", 15);
	assert_refused("L.member.x=1", 12);
	assert_refused("member.1=x", 10);
	memset(big, 'a', QUERY_NAME_MAX + 1);
	memcpy(big + QUERY_NAME_MAX + 1, "=1", 3);
	assert_refused(big, strlen(big));
	json_decref(parse_ok("A.b.c.d.e.f.g.h=1&L.member.1000=x"));
}

static void
test_too_many_parameters_are_refused(void **state)
{
	size_t	 n = QUERY_PARAMS_MAX + 1, len = 0;
	char	*body = malloc(n * 16);

	(void)state;
	assert_non_null(body);
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(body + len, "%sP%zu=1", i > 0 ? "&" : "",
		    i);
	assert_refused(body, len);
	free(body);
}

static void
test_only_form_posts_and_action_gets_without_a_target_are_query(void **state)
{
	struct http_request req;

	(void)state;
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.path = "/";
	req.headers[0].name = "Content-Type";
	req.headers[0].value = "application/x-www-form-urlencoded; charset=utf-8";
	req.header_count = 1;
	assert_true(query_protocol_is_request(&req));
	req.headers[0].value = "Application/X-WWW-Form-Urlencoded";
	assert_true(query_protocol_is_request(&req));
	req.headers[0].value = "application/x-www-form-urlencodedX";
	assert_false(query_protocol_is_request(&req));
	req.headers[0].value = "application/x-amz-json-1.1";
	assert_false(query_protocol_is_request(&req));
	req.headers[0].value = "application/x-www-form-urlencoded";
	req.headers[1].name = "X-Amz-Target";
	req.headers[1].value = "secretsmanager.ListSecrets";
	req.header_count = 2;
	assert_false(query_protocol_is_request(&req));
	req.header_count = 1;
	req.method = "GET";
	assert_false(query_protocol_is_request(&req));
	/* A GET is one when its query names an action (a presigned URL). */
	req.query = "Version=2011-06-15&Action=GetCallerIdentity";
	assert_true(query_protocol_is_request(&req));
	req.query = "NoAction=1&XAction=2";
	assert_false(query_protocol_is_request(&req));
}

static void
test_a_get_takes_its_parameters_from_the_query(void **state)
{
	struct http_request	 req;
	struct error		 err;
	json_t			*out = NULL;
	const char		*body = "Action=CreateUser";

	(void)state;
	memset(&req, 0, sizeof(req));
	req.method = "GET";
	req.path = "/";
	req.query = "Action=GetCallerIdentity&Version=2011-06-15&"
	    "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20261128"
	    "%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20261128T000000Z&"
	    "X-Amz-Expires=60&X-Amz-SignedHeaders=host&"
	    "X-Amz-Security-Token=tok%2B&X-Amz-Signature=00&Tags.member.1=a";
	req.body = (const unsigned char *)body;
	req.body_len = strlen(body);
	assert_int_equal(query_protocol_body(&req, &out, &err), STATUS_OK);
	/* The action's pairs, none of SigV4's, and not the body's. */
	assert_int_equal(json_object_size(out), 3);
	assert_string_equal(json_string_value(json_object_get(out, "Action")),
	    "GetCallerIdentity");
	assert_string_equal(json_string_value(json_object_get(out,
	    "Version")), "2011-06-15");
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(out, "Tags"), 0)), "a");
	json_decref(out);
	req.method = "POST";
	assert_int_equal(query_protocol_body(&req, &out, &err), STATUS_OK);
	assert_string_equal(json_string_value(json_object_get(out, "Action")),
	    "CreateUser");
	json_decref(out);
}

static void
test_answers_are_xml_with_lists_and_escaping(void **state)
{
	struct http_response resp;
	json_t		*result;

	(void)state;
	memset(&resp, 0, sizeof(resp));
	result = json_pack("{s:s, s:[s,s], s:b, s:i, s:{s:s}, s:n, s:[]}",
	    "Text", "a<b>&\"c\"", "List", "1", "2", "Flag", 1, "Count", 42,
	    "Nested", "Cr", "x\ry\tz\x01", "Nothing", "Empty");
	query_protocol_respond(&resp, "GetThing", "urn:ns", result, "rid-1");
	assert_int_equal(resp.status, 200);
	assert_string_equal(resp.content_type, "text/xml");
	assert_string_equal(resp.body,
	    "<GetThingResponse xmlns=\"urn:ns\"><GetThingResult>"
	    "<Text>a&lt;b&gt;&amp;&quot;c&quot;</Text>"
	    "<List><member>1</member><member>2</member></List>"
	    "<Flag>true</Flag><Count>42</Count>"
	    "<Nested><Cr>x&#13;y\tz\xEF\xBF\xBD</Cr></Nested>"
	    "<Empty></Empty>"
	    "</GetThingResult><ResponseMetadata><RequestId>rid-1</RequestId>"
	    "</ResponseMetadata></GetThingResponse>");
	assert_int_equal(resp.body_len, strlen(resp.body));
	assert_int_equal(resp.extra_count, 1);
	http_response_cleanup(&resp);

	memset(&resp, 0, sizeof(resp));
	query_protocol_respond(&resp, "DeleteThing", "urn:ns", NULL, "rid-2");
	assert_string_equal(resp.body,
	    "<DeleteThingResponse xmlns=\"urn:ns\"><ResponseMetadata>"
	    "<RequestId>rid-2</RequestId></ResponseMetadata>"
	    "</DeleteThingResponse>");
	http_response_cleanup(&resp);
}

static void
test_errors_are_error_responses(void **state)
{
	struct http_response resp;

	(void)state;
	memset(&resp, 0, sizeof(resp));
	query_protocol_respond_error(&resp, 404, "urn:ns", "NoSuchEntity",
	    "The user with name <x> cannot be found.", "rid");
	assert_int_equal(resp.status, 404);
	assert_string_equal(resp.body,
	    "<ErrorResponse xmlns=\"urn:ns\"><Error><Type>Sender</Type>"
	    "<Code>NoSuchEntity</Code><Message>The user with name &lt;x&gt; "
	    "cannot be found.</Message></Error><RequestId>rid</RequestId>"
	    "</ErrorResponse>");
	http_response_cleanup(&resp);

	memset(&resp, 0, sizeof(resp));
	query_protocol_respond_error(&resp, 500, NULL, "ServiceFailure", NULL,
	    "rid");
	assert_string_equal(resp.body,
	    "<ErrorResponse><Error><Type>Receiver</Type>"
	    "<Code>ServiceFailure</Code></Error><RequestId>rid</RequestId>"
	    "</ErrorResponse>");
	http_response_cleanup(&resp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_decodes_into_structures_and_lists),
		cmocka_unit_test(
		    test_empty_body_and_empty_pairs_are_an_empty_request),
		cmocka_unit_test(test_botocore_empty_list_stays_an_empty_string),
		cmocka_unit_test(
		    test_repeated_and_conflicting_names_are_refused),
		cmocka_unit_test(
		    test_bad_escapes_nul_and_invalid_utf8_are_refused),
		cmocka_unit_test(test_names_and_list_positions_are_bounded),
		cmocka_unit_test(test_too_many_parameters_are_refused),
		cmocka_unit_test(
		    test_only_form_posts_and_action_gets_without_a_target_are_query),
		cmocka_unit_test(test_a_get_takes_its_parameters_from_the_query),
		cmocka_unit_test(test_answers_are_xml_with_lists_and_escaping),
		cmocka_unit_test(test_errors_are_error_responses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
