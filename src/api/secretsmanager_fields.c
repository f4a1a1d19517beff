/*
 * secretsmanager_fields.c: input field tables generated from the AWS model
 * (secretsmanager-2017-10-17) by scripts/gen_fields.py.  Do not edit.
 */
#include "api/secretsmanager_fields.h"

const struct field_spec secretsmanager_fields_BatchGetSecretValue[] = {
	{ "SecretIdList", FIELD_STRING_LIST, 1, 20, false, false },
	{ "Filters", FIELD_STRUCT_LIST, -1, 10, false, false },
	{ "MaxResults", FIELD_INTEGER, 1, 20, false, false },
	{ "NextToken", FIELD_STRING, 1, 4096, false, false },
	{ NULL, 0, 0, 0, false, false },
};

const struct field_spec secretsmanager_fields_CancelRotateSecret[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false },
	{ NULL, 0, 0, 0, false, false },
};

const struct field_spec secretsmanager_fields_CreateSecret[] = {
	{ "Name", FIELD_STRING, 1, 512, true, false },
	{ "ClientRequestToken", FIELD_STRING, 32, 64, false, false },
	{ "Description", FIELD_STRING, -1, 2048, false, false },
	{ "KmsKeyId", FIELD_STRING, 0, 2048, false, false },
	{ "SecretBinary", FIELD_BLOB, 1, 65536, false, true },
	{ "SecretString", FIELD_STRING, 1, 65536, false, true },
	{ "Tags", FIELD_TAG_LIST, -1, -1, false, false },
	{ "AddReplicaRegions", FIELD_STRUCT_LIST, 1, -1, false, false },
	{ "ForceOverwriteReplicaSecret", FIELD_BOOLEAN, -1, -1, false, false },
	{ "Type", FIELD_STRING, 0, 256, false, false },
	{ NULL, 0, 0, 0, false, false },
};

const struct field_spec secretsmanager_fields_DeleteResourcePolicy[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false },
	{ NULL, 0, 0, 0, false, false },
};

const struct field_spec secretsmanager_fields_DeleteSecret[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false },
	{ "RecoveryWindowInDays", FIELD_LONG, -1, -1, false, false },
	{ "ForceDeleteWithoutRecovery", FIELD_BOOLEAN, -1, -1, false, false },
	{ NULL, 0, 0, 0, false, false },
};

const struct field_spec secretsmanager_fields_DescribeSecret[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false },
	{ NULL, 0, 0, 0, false, false },
};

const struct field_spec secretsmanager_fields_GetRandomPassword[] = {
	{ "PasswordLength", FIELD_LONG, 1, 4096, false, false },
	{ "ExcludeCharacters", FIELD_STRING, 0, 4096, false, false },
	{ "ExcludeNumbers", FIELD_BOOLEAN, -1, -1, false, false },
	{ "ExcludePunctuation", FIELD_BOOLEAN, -1, -1, false, false },
	{ "ExcludeUppercase", FIELD_BOOLEAN, -1, -1, false, false },
	{ "ExcludeLowercase", FIELD_BOOLEAN, -1, -1, false, false },
	{ "IncludeSpace", FIELD_BOOLEAN, -1, -1, false, false },
	{ "RequireEachIncludedType", FIELD_BOOLEAN, -1, -1, false, false },
	{ NULL, 0, 0, 0, false, false },
};

const struct field_spec secretsmanager_fields_GetResourcePolicy[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false },
	{ NULL, 0, 0, 0, false, false },
};

const struct field_spec secretsmanager_fields_GetSecretValue[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false },
	{ "VersionId", FIELD_STRING, 32, 64, false, false },
	{ "VersionStage", FIELD_STRING, 1, 256, false, false },
	{ NULL, 0, 0, 0, false, false },
};

const struct field_spec secretsmanager_fields_ListSecretVersionIds[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false },
	{ "MaxResults", FIELD_INTEGER, 1, 100, false, false },
	{ "NextToken", FIELD_STRING, 1, 4096, false, false },
	{ "IncludeDeprecated", FIELD_BOOLEAN, -1, -1, false, false },
	{ NULL, 0, 0, 0, false, false },
};

const struct field_spec secretsmanager_fields_ListSecrets[] = {
	{ "IncludePlannedDeletion", FIELD_BOOLEAN, -1, -1, false, false },
	{ "MaxResults", FIELD_INTEGER, 1, 100, false, false },
	{ "NextToken", FIELD_STRING, 1, 4096, false, false },
	{ "Filters", FIELD_STRUCT_LIST, -1, 10, false, false },
	{ "SortOrder", FIELD_STRING, -1, -1, false, false },
	{ "SortBy", FIELD_STRING, -1, -1, false, false },
	{ NULL, 0, 0, 0, false, false },
};

const struct field_spec secretsmanager_fields_PutResourcePolicy[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false },
	{ "ResourcePolicy", FIELD_STRING, 1, 20480, true, false },
	{ "BlockPublicPolicy", FIELD_BOOLEAN, -1, -1, false, false },
	{ NULL, 0, 0, 0, false, false },
};

const struct field_spec secretsmanager_fields_PutSecretValue[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false },
	{ "ClientRequestToken", FIELD_STRING, 32, 64, false, false },
	{ "SecretBinary", FIELD_BLOB, 1, 65536, false, true },
	{ "SecretString", FIELD_STRING, 1, 65536, false, true },
	{ "VersionStages", FIELD_STRING_LIST, 1, 20, false, false },
	{ "RotationToken", FIELD_STRING, 36, 256, false, true },
	{ NULL, 0, 0, 0, false, false },
};

const struct field_spec secretsmanager_fields_RemoveRegionsFromReplication[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false },
	{ "RemoveReplicaRegions", FIELD_STRING_LIST, 1, -1, true, false },
	{ NULL, 0, 0, 0, false, false },
};

const struct field_spec secretsmanager_fields_ReplicateSecretToRegions[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false },
	{ "AddReplicaRegions", FIELD_STRUCT_LIST, 1, -1, true, false },
	{ "ForceOverwriteReplicaSecret", FIELD_BOOLEAN, -1, -1, false, false },
	{ NULL, 0, 0, 0, false, false },
};

const struct field_spec secretsmanager_fields_RestoreSecret[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false },
	{ NULL, 0, 0, 0, false, false },
};

const struct field_spec secretsmanager_fields_RotateSecret[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false },
	{ "ClientRequestToken", FIELD_STRING, 32, 64, false, false },
	{ "RotationLambdaARN", FIELD_STRING, 0, 2048, false, false },
	{ "RotationRules", FIELD_STRUCT, -1, -1, false, false },
	{ "ExternalSecretRotationMetadata", FIELD_TAG_LIST, -1, -1, false, false },
	{ "ExternalSecretRotationRoleArn", FIELD_STRING, 20, 2048, false, false },
	{ "RotateImmediately", FIELD_BOOLEAN, -1, -1, false, false },
	{ NULL, 0, 0, 0, false, false },
};

const struct field_spec secretsmanager_fields_StopReplicationToReplica[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false },
	{ NULL, 0, 0, 0, false, false },
};

const struct field_spec secretsmanager_fields_TagResource[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false },
	{ "Tags", FIELD_TAG_LIST, -1, -1, true, false },
	{ NULL, 0, 0, 0, false, false },
};

const struct field_spec secretsmanager_fields_UntagResource[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false },
	{ "TagKeys", FIELD_STRING_LIST, -1, -1, true, false },
	{ NULL, 0, 0, 0, false, false },
};

const struct field_spec secretsmanager_fields_UpdateSecret[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false },
	{ "ClientRequestToken", FIELD_STRING, 32, 64, false, false },
	{ "Description", FIELD_STRING, -1, 2048, false, false },
	{ "KmsKeyId", FIELD_STRING, 0, 2048, false, false },
	{ "SecretBinary", FIELD_BLOB, 1, 65536, false, true },
	{ "SecretString", FIELD_STRING, 1, 65536, false, true },
	{ "Type", FIELD_STRING, 0, 256, false, false },
	{ NULL, 0, 0, 0, false, false },
};

const struct field_spec secretsmanager_fields_UpdateSecretVersionStage[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false },
	{ "VersionStage", FIELD_STRING, 1, 256, true, false },
	{ "RemoveFromVersionId", FIELD_STRING, 32, 64, false, false },
	{ "MoveToVersionId", FIELD_STRING, 32, 64, false, false },
	{ NULL, 0, 0, 0, false, false },
};

const struct field_spec secretsmanager_fields_ValidateResourcePolicy[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, false, false },
	{ "ResourcePolicy", FIELD_STRING, 1, 20480, true, false },
	{ NULL, 0, 0, 0, false, false },
};

