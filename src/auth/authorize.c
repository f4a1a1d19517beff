/*
 * authorize.c: may this principal perform this action on this resource?
 *
 * Today's rule: a principal acts on its own account's resources and on
 * account-less ("*") actions; everything else is denied.  That is what AWS
 * decides for a principal whose identity policies allow everything and
 * whose target carries no resource policy, so denials are worded as AWS
 * words them in that case:
 *   User: <arn> is not authorized to perform: <action> on resource: <arn>
 *   because no resource-based policy allows the <action> action
 * and, for an action without a resource,
 *   User: <arn> is not authorized to perform: <action> because no
 *   identity-based policy allows the <action> action
 * The policy engine will replace the body of auth_authorize, not its
 * signature.  Pure and thread-safe.
 */
#include <stdbool.h>
#include <string.h>

#include "auth/auth.h"

static bool
authorize_is_any_resource(const char *resource)
{
	return resource == NULL || resource[0] == '\0' ||
	    strcmp(resource, "*") == 0;
}

enum status
auth_authorize(const struct principal *principal, const char *action,
    const char *resource, const char *resource_account_id,
    const struct auth_context *ctx, struct error *err)
{
	if (principal == NULL || action == NULL ||
	    principal->account_id[0] == '\0')
		return error_set(err, STATUS_ACCESS_DENIED, "Access denied");
	if (resource_account_id == NULL ||
	    strcmp(resource_account_id, principal->account_id) == 0)
		return STATUS_OK;
	if (authorize_is_any_resource(resource))
		return error_set(err, STATUS_ACCESS_DENIED,
		    "User: %s is not authorized to perform: %s because no "
		    "identity-based policy allows the %s action",
		    principal->arn, action, action);
	return error_set(err, STATUS_ACCESS_DENIED,
	    "User: %s is not authorized to perform: %s on resource: %s because "
	    "no resource-based policy allows the %s action",
	    principal->arn, action, resource, action);
}
