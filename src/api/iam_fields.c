/*
 * iam_fields.c: input field tables generated from the AWS model
 * (iam-2010-05-08) by scripts/gen_fields.py.  Do not edit.
 */
#include "api/iam_fields.h"

const struct field_spec iam_fields_AcceptDelegationRequest[] = {
	{ "DelegationRequestId", FIELD_STRING, 16, 128, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_AddClientIDToOpenIDConnectProvider[] = {
	{ "OpenIDConnectProviderArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "ClientID", FIELD_STRING, 1, 255, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_AddRoleToInstanceProfile[] = {
	{ "InstanceProfileName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "RoleName", FIELD_STRING, 1, 64, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_AddUserToGroup[] = {
	{ "GroupName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "UserName", FIELD_STRING, 1, 128, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_AssociateDelegationRequest[] = {
	{ "DelegationRequestId", FIELD_STRING, 16, 128, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_AttachGroupPolicy[] = {
	{ "GroupName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "PolicyArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_AttachRolePolicy[] = {
	{ "RoleName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "PolicyArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_AttachUserPolicy[] = {
	{ "UserName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "PolicyArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ChangePassword[] = {
	{ "OldPassword", FIELD_STRING, 1, 128, true, true, NULL },
	{ "NewPassword", FIELD_STRING, 1, 128, true, true, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_CreateAccessKey[] = {
	{ "UserName", FIELD_STRING, 1, 128, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_CreateAccountAlias[] = {
	{ "AccountAlias", FIELD_STRING, 3, 63, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_CreateDelegationRequest[] = {
	{ "OwnerAccountId", FIELD_STRING, -1, -1, false, false, NULL },
	{ "Description", FIELD_STRING, -1, 1000, true, false, NULL },
	{ "Permissions", FIELD_STRUCT, -1, -1, true, false, NULL },
	{ "RequestMessage", FIELD_STRING, -1, 200, false, false, NULL },
	{ "RequestorWorkflowId", FIELD_STRING, 5, 400, true, false, NULL },
	{ "RedirectUrl", FIELD_STRING, 1, 255, false, false, NULL },
	{ "NotificationChannel", FIELD_STRING, 2, 400, true, false, NULL },
	{ "SessionDuration", FIELD_INTEGER, 300, 43200, true, false, NULL },
	{ "OnlySendByOwner", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_CreateGroup[] = {
	{ "Path", FIELD_STRING, 1, 512, false, false, NULL },
	{ "GroupName", FIELD_STRING, 1, 128, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_CreateInstanceProfile[] = {
	{ "InstanceProfileName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "Path", FIELD_STRING, 1, 512, false, false, NULL },
	{ "Tags", FIELD_TAG_LIST, -1, 50, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_CreateLoginProfile[] = {
	{ "UserName", FIELD_STRING, 1, 64, false, false, NULL },
	{ "Password", FIELD_STRING, 1, 128, false, true, NULL },
	{ "PasswordResetRequired", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_CreateOpenIDConnectProvider[] = {
	{ "Url", FIELD_STRING, 1, 255, true, false, NULL },
	{ "ClientIDList", FIELD_STRING_LIST, -1, -1, false, false, NULL },
	{ "ThumbprintList", FIELD_STRING_LIST, -1, -1, false, false, NULL },
	{ "Tags", FIELD_TAG_LIST, -1, 50, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_CreatePolicy[] = {
	{ "PolicyName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "Path", FIELD_STRING, 1, 512, false, false, NULL },
	{ "PolicyDocument", FIELD_STRING, 1, 131072, true, false, NULL },
	{ "Description", FIELD_STRING, -1, 1000, false, false, NULL },
	{ "Tags", FIELD_TAG_LIST, -1, 50, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_CreatePolicyVersion[] = {
	{ "PolicyArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "PolicyDocument", FIELD_STRING, 1, 131072, true, false, NULL },
	{ "SetAsDefault", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_CreateRole[] = {
	{ "Path", FIELD_STRING, 1, 512, false, false, NULL },
	{ "RoleName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "AssumeRolePolicyDocument", FIELD_STRING, 1, 131072, true, false, NULL },
	{ "Description", FIELD_STRING, -1, 1000, false, false, NULL },
	{ "MaxSessionDuration", FIELD_INTEGER, 3600, 43200, false, false, NULL },
	{ "PermissionsBoundary", FIELD_STRING, 20, 2048, false, false, NULL },
	{ "Tags", FIELD_TAG_LIST, -1, 50, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_CreateSAMLProvider[] = {
	{ "SAMLMetadataDocument", FIELD_STRING, 1000, 10000000, true, false, NULL },
	{ "Name", FIELD_STRING, 1, 128, true, false, NULL },
	{ "Tags", FIELD_TAG_LIST, -1, 50, false, false, NULL },
	{ "AssertionEncryptionMode", FIELD_STRING, -1, -1, false, false, "Required|Allowed" },
	{ "AddPrivateKey", FIELD_STRING, 1, 16384, false, true, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_CreateServiceLinkedRole[] = {
	{ "AWSServiceName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "Description", FIELD_STRING, -1, 1000, false, false, NULL },
	{ "CustomSuffix", FIELD_STRING, 1, 64, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_CreateServiceSpecificCredential[] = {
	{ "UserName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "ServiceName", FIELD_STRING, -1, -1, true, false, NULL },
	{ "CredentialAgeDays", FIELD_INTEGER, 1, 36600, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_CreateUser[] = {
	{ "Path", FIELD_STRING, 1, 512, false, false, NULL },
	{ "UserName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "PermissionsBoundary", FIELD_STRING, 20, 2048, false, false, NULL },
	{ "Tags", FIELD_TAG_LIST, -1, 50, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_CreateVirtualMFADevice[] = {
	{ "Path", FIELD_STRING, 1, 512, false, false, NULL },
	{ "VirtualMFADeviceName", FIELD_STRING, 1, -1, true, false, NULL },
	{ "Tags", FIELD_TAG_LIST, -1, 50, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DeactivateMFADevice[] = {
	{ "UserName", FIELD_STRING, 1, 128, false, false, NULL },
	{ "SerialNumber", FIELD_STRING, 9, 256, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DeleteAccessKey[] = {
	{ "UserName", FIELD_STRING, 1, 128, false, false, NULL },
	{ "AccessKeyId", FIELD_STRING, 16, 128, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DeleteAccountAlias[] = {
	{ "AccountAlias", FIELD_STRING, 3, 63, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DeleteAccountPasswordPolicy[] = {
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DeleteGroup[] = {
	{ "GroupName", FIELD_STRING, 1, 128, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DeleteGroupPolicy[] = {
	{ "GroupName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "PolicyName", FIELD_STRING, 1, 128, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DeleteInstanceProfile[] = {
	{ "InstanceProfileName", FIELD_STRING, 1, 128, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DeleteLoginProfile[] = {
	{ "UserName", FIELD_STRING, 1, 64, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DeleteOpenIDConnectProvider[] = {
	{ "OpenIDConnectProviderArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DeletePolicy[] = {
	{ "PolicyArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DeletePolicyVersion[] = {
	{ "PolicyArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "VersionId", FIELD_STRING, -1, -1, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DeleteRole[] = {
	{ "RoleName", FIELD_STRING, 1, 64, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DeleteRolePermissionsBoundary[] = {
	{ "RoleName", FIELD_STRING, 1, 64, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DeleteRolePolicy[] = {
	{ "RoleName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "PolicyName", FIELD_STRING, 1, 128, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DeleteSAMLProvider[] = {
	{ "SAMLProviderArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DeleteSSHPublicKey[] = {
	{ "UserName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "SSHPublicKeyId", FIELD_STRING, 20, 128, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DeleteServerCertificate[] = {
	{ "ServerCertificateName", FIELD_STRING, 1, 128, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DeleteServiceLinkedRole[] = {
	{ "RoleName", FIELD_STRING, 1, 64, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DeleteServiceSpecificCredential[] = {
	{ "UserName", FIELD_STRING, 1, 64, false, false, NULL },
	{ "ServiceSpecificCredentialId", FIELD_STRING, 20, 128, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DeleteSigningCertificate[] = {
	{ "UserName", FIELD_STRING, 1, 128, false, false, NULL },
	{ "CertificateId", FIELD_STRING, 24, 128, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DeleteUser[] = {
	{ "UserName", FIELD_STRING, 1, 128, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DeleteUserPermissionsBoundary[] = {
	{ "UserName", FIELD_STRING, 1, 64, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DeleteUserPolicy[] = {
	{ "UserName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "PolicyName", FIELD_STRING, 1, 128, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DeleteVirtualMFADevice[] = {
	{ "SerialNumber", FIELD_STRING, 9, 256, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DetachGroupPolicy[] = {
	{ "GroupName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "PolicyArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DetachRolePolicy[] = {
	{ "RoleName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "PolicyArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DetachUserPolicy[] = {
	{ "UserName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "PolicyArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DisableOrganizationsRootCredentialsManagement[] = {
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DisableOrganizationsRootSessions[] = {
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_DisableOutboundWebIdentityFederation[] = {
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_EnableMFADevice[] = {
	{ "UserName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "SerialNumber", FIELD_STRING, 9, 256, true, false, NULL },
	{ "AuthenticationCode1", FIELD_STRING, 6, 6, true, false, NULL },
	{ "AuthenticationCode2", FIELD_STRING, 6, 6, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_EnableOrganizationsRootCredentialsManagement[] = {
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_EnableOrganizationsRootSessions[] = {
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_EnableOutboundWebIdentityFederation[] = {
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GenerateCredentialReport[] = {
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GenerateOrganizationsAccessReport[] = {
	{ "EntityPath", FIELD_STRING, 19, 427, true, false, NULL },
	{ "OrganizationsPolicyId", FIELD_STRING, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GenerateServiceLastAccessedDetails[] = {
	{ "Arn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "Granularity", FIELD_STRING, -1, -1, false, false, "SERVICE_LEVEL|ACTION_LEVEL" },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetAccessKeyLastUsed[] = {
	{ "AccessKeyId", FIELD_STRING, 16, 128, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetAccountAuthorizationDetails[] = {
	{ "Filter", FIELD_STRING_LIST, -1, -1, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetAccountPasswordPolicy[] = {
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetAccountSummary[] = {
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetContextKeysForCustomPolicy[] = {
	{ "PolicyInputList", FIELD_STRING_LIST, -1, -1, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetContextKeysForPrincipalPolicy[] = {
	{ "PolicySourceArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "PolicyInputList", FIELD_STRING_LIST, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetCredentialReport[] = {
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetDelegationRequest[] = {
	{ "DelegationRequestId", FIELD_STRING, 16, 128, true, false, NULL },
	{ "DelegationPermissionCheck", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetGroup[] = {
	{ "GroupName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetGroupPolicy[] = {
	{ "GroupName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "PolicyName", FIELD_STRING, 1, 128, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetHumanReadableSummary[] = {
	{ "EntityArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "Locale", FIELD_STRING, 2, 12, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetInstanceProfile[] = {
	{ "InstanceProfileName", FIELD_STRING, 1, 128, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetLoginProfile[] = {
	{ "UserName", FIELD_STRING, 1, 64, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetMFADevice[] = {
	{ "SerialNumber", FIELD_STRING, 9, 256, true, false, NULL },
	{ "UserName", FIELD_STRING, 1, 64, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetOpenIDConnectProvider[] = {
	{ "OpenIDConnectProviderArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetOrganizationsAccessReport[] = {
	{ "JobId", FIELD_STRING, 36, 36, true, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "SortKey", FIELD_STRING, -1, -1, false, false, "SERVICE_NAMESPACE_ASCENDING|SERVICE_NAMESPACE_DESCENDING|LAST_AUTHENTICATED_TIME_ASCENDING|LAST_AUTHENTICATED_TIME_DESCENDING" },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetOutboundWebIdentityFederationInfo[] = {
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetPolicy[] = {
	{ "PolicyArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetPolicyVersion[] = {
	{ "PolicyArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "VersionId", FIELD_STRING, -1, -1, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetRole[] = {
	{ "RoleName", FIELD_STRING, 1, 64, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetRolePolicy[] = {
	{ "RoleName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "PolicyName", FIELD_STRING, 1, 128, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetSAMLProvider[] = {
	{ "SAMLProviderArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetSSHPublicKey[] = {
	{ "UserName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "SSHPublicKeyId", FIELD_STRING, 20, 128, true, false, NULL },
	{ "Encoding", FIELD_STRING, -1, -1, true, false, "SSH|PEM" },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetServerCertificate[] = {
	{ "ServerCertificateName", FIELD_STRING, 1, 128, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetServiceLastAccessedDetails[] = {
	{ "JobId", FIELD_STRING, 36, 36, true, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetServiceLastAccessedDetailsWithEntities[] = {
	{ "JobId", FIELD_STRING, 36, 36, true, false, NULL },
	{ "ServiceNamespace", FIELD_STRING, 1, 64, true, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetServiceLinkedRoleDeletionStatus[] = {
	{ "DeletionTaskId", FIELD_STRING, 1, 1000, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetUser[] = {
	{ "UserName", FIELD_STRING, 1, 128, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_GetUserPolicy[] = {
	{ "UserName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "PolicyName", FIELD_STRING, 1, 128, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListAccessKeys[] = {
	{ "UserName", FIELD_STRING, 1, 128, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListAccountAliases[] = {
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListAttachedGroupPolicies[] = {
	{ "GroupName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "PathPrefix", FIELD_STRING, 1, 512, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListAttachedRolePolicies[] = {
	{ "RoleName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "PathPrefix", FIELD_STRING, 1, 512, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListAttachedUserPolicies[] = {
	{ "UserName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "PathPrefix", FIELD_STRING, 1, 512, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListDelegationRequests[] = {
	{ "OwnerId", FIELD_STRING, 20, 2048, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListEntitiesForPolicy[] = {
	{ "PolicyArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "EntityFilter", FIELD_STRING, -1, -1, false, false, "User|Role|Group|LocalManagedPolicy|AWSManagedPolicy" },
	{ "PathPrefix", FIELD_STRING, 1, 512, false, false, NULL },
	{ "PolicyUsageFilter", FIELD_STRING, -1, -1, false, false, "PermissionsPolicy|PermissionsBoundary" },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListGroupPolicies[] = {
	{ "GroupName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListGroups[] = {
	{ "PathPrefix", FIELD_STRING, 1, 512, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListGroupsForUser[] = {
	{ "UserName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListInstanceProfileTags[] = {
	{ "InstanceProfileName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListInstanceProfiles[] = {
	{ "PathPrefix", FIELD_STRING, 1, 512, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListInstanceProfilesForRole[] = {
	{ "RoleName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListMFADeviceTags[] = {
	{ "SerialNumber", FIELD_STRING, 9, 256, true, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListMFADevices[] = {
	{ "UserName", FIELD_STRING, 1, 128, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListOpenIDConnectProviderTags[] = {
	{ "OpenIDConnectProviderArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListOpenIDConnectProviders[] = {
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListOrganizationsFeatures[] = {
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListPolicies[] = {
	{ "Scope", FIELD_STRING, -1, -1, false, false, "All|AWS|Local" },
	{ "OnlyAttached", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ "PathPrefix", FIELD_STRING, 1, 512, false, false, NULL },
	{ "PolicyUsageFilter", FIELD_STRING, -1, -1, false, false, "PermissionsPolicy|PermissionsBoundary" },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListPoliciesGrantingServiceAccess[] = {
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "Arn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "ServiceNamespaces", FIELD_STRING_LIST, 1, 200, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListPolicyTags[] = {
	{ "PolicyArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListPolicyVersions[] = {
	{ "PolicyArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListRolePolicies[] = {
	{ "RoleName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListRoleTags[] = {
	{ "RoleName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListRoles[] = {
	{ "PathPrefix", FIELD_STRING, 1, 512, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListSAMLProviderTags[] = {
	{ "SAMLProviderArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListSAMLProviders[] = {
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListSSHPublicKeys[] = {
	{ "UserName", FIELD_STRING, 1, 64, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListServerCertificateTags[] = {
	{ "ServerCertificateName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListServerCertificates[] = {
	{ "PathPrefix", FIELD_STRING, 1, 512, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListServiceSpecificCredentials[] = {
	{ "UserName", FIELD_STRING, 1, 64, false, false, NULL },
	{ "ServiceName", FIELD_STRING, -1, -1, false, false, NULL },
	{ "AllUsers", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListSigningCertificates[] = {
	{ "UserName", FIELD_STRING, 1, 128, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListUserPolicies[] = {
	{ "UserName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListUserTags[] = {
	{ "UserName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListUsers[] = {
	{ "PathPrefix", FIELD_STRING, 1, 512, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ListVirtualMFADevices[] = {
	{ "AssignmentStatus", FIELD_STRING, -1, -1, false, false, "Assigned|Unassigned|Any" },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_PutGroupPolicy[] = {
	{ "GroupName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "PolicyName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "PolicyDocument", FIELD_STRING, 1, 131072, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_PutRolePermissionsBoundary[] = {
	{ "RoleName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "PermissionsBoundary", FIELD_STRING, 20, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_PutRolePolicy[] = {
	{ "RoleName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "PolicyName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "PolicyDocument", FIELD_STRING, 1, 131072, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_PutUserPermissionsBoundary[] = {
	{ "UserName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "PermissionsBoundary", FIELD_STRING, 20, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_PutUserPolicy[] = {
	{ "UserName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "PolicyName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "PolicyDocument", FIELD_STRING, 1, 131072, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_RejectDelegationRequest[] = {
	{ "DelegationRequestId", FIELD_STRING, 16, 128, true, false, NULL },
	{ "Notes", FIELD_STRING, -1, 500, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_RemoveClientIDFromOpenIDConnectProvider[] = {
	{ "OpenIDConnectProviderArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "ClientID", FIELD_STRING, 1, 255, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_RemoveRoleFromInstanceProfile[] = {
	{ "InstanceProfileName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "RoleName", FIELD_STRING, 1, 64, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_RemoveUserFromGroup[] = {
	{ "GroupName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "UserName", FIELD_STRING, 1, 128, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ResetServiceSpecificCredential[] = {
	{ "UserName", FIELD_STRING, 1, 64, false, false, NULL },
	{ "ServiceSpecificCredentialId", FIELD_STRING, 20, 128, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_ResyncMFADevice[] = {
	{ "UserName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "SerialNumber", FIELD_STRING, 9, 256, true, false, NULL },
	{ "AuthenticationCode1", FIELD_STRING, 6, 6, true, false, NULL },
	{ "AuthenticationCode2", FIELD_STRING, 6, 6, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_SendDelegationToken[] = {
	{ "DelegationRequestId", FIELD_STRING, 16, 128, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_SetDefaultPolicyVersion[] = {
	{ "PolicyArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "VersionId", FIELD_STRING, -1, -1, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_SetSecurityTokenServicePreferences[] = {
	{ "GlobalEndpointTokenVersion", FIELD_STRING, -1, -1, true, false, "v1Token|v2Token" },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_SimulateCustomPolicy[] = {
	{ "PolicyInputList", FIELD_STRING_LIST, -1, -1, true, false, NULL },
	{ "PermissionsBoundaryPolicyInputList", FIELD_STRING_LIST, -1, -1, false, false, NULL },
	{ "OrderedOrganizationPolicyInputList", FIELD_STRUCT_LIST, -1, 7, false, false, NULL },
	{ "ActionNames", FIELD_STRING_LIST, -1, -1, true, false, NULL },
	{ "ResourceArns", FIELD_STRING_LIST, -1, -1, false, false, NULL },
	{ "ResourcePolicy", FIELD_STRING, 1, 131072, false, false, NULL },
	{ "ResourceOwner", FIELD_STRING, 1, 2048, false, false, NULL },
	{ "CallerArn", FIELD_STRING, 1, 2048, false, false, NULL },
	{ "ContextEntries", FIELD_STRUCT_LIST, -1, -1, false, false, NULL },
	{ "ResourceHandlingOption", FIELD_STRING, 1, 64, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_SimulatePrincipalPolicy[] = {
	{ "PolicySourceArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "PolicyInputList", FIELD_STRING_LIST, -1, -1, false, false, NULL },
	{ "PermissionsBoundaryPolicyInputList", FIELD_STRING_LIST, -1, -1, false, false, NULL },
	{ "PolicyExclusionList", FIELD_STRUCT_LIST, -1, 256, false, false, NULL },
	{ "ActionNames", FIELD_STRING_LIST, -1, -1, true, false, NULL },
	{ "ResourceArns", FIELD_STRING_LIST, -1, -1, false, false, NULL },
	{ "ResourcePolicy", FIELD_STRING, 1, 131072, false, false, NULL },
	{ "ResourceOwner", FIELD_STRING, 1, 2048, false, false, NULL },
	{ "CallerArn", FIELD_STRING, 1, 2048, false, false, NULL },
	{ "ContextEntries", FIELD_STRUCT_LIST, -1, -1, false, false, NULL },
	{ "ResourceHandlingOption", FIELD_STRING, 1, 64, false, false, NULL },
	{ "MaxItems", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 320, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_TagInstanceProfile[] = {
	{ "InstanceProfileName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "Tags", FIELD_TAG_LIST, -1, 50, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_TagMFADevice[] = {
	{ "SerialNumber", FIELD_STRING, 9, 256, true, false, NULL },
	{ "Tags", FIELD_TAG_LIST, -1, 50, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_TagOpenIDConnectProvider[] = {
	{ "OpenIDConnectProviderArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "Tags", FIELD_TAG_LIST, -1, 50, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_TagPolicy[] = {
	{ "PolicyArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "Tags", FIELD_TAG_LIST, -1, 50, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_TagRole[] = {
	{ "RoleName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "Tags", FIELD_TAG_LIST, -1, 50, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_TagSAMLProvider[] = {
	{ "SAMLProviderArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "Tags", FIELD_TAG_LIST, -1, 50, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_TagServerCertificate[] = {
	{ "ServerCertificateName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "Tags", FIELD_TAG_LIST, -1, 50, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_TagUser[] = {
	{ "UserName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "Tags", FIELD_TAG_LIST, -1, 50, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UntagInstanceProfile[] = {
	{ "InstanceProfileName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "TagKeys", FIELD_STRING_LIST, -1, 50, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UntagMFADevice[] = {
	{ "SerialNumber", FIELD_STRING, 9, 256, true, false, NULL },
	{ "TagKeys", FIELD_STRING_LIST, -1, 50, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UntagOpenIDConnectProvider[] = {
	{ "OpenIDConnectProviderArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "TagKeys", FIELD_STRING_LIST, -1, 50, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UntagPolicy[] = {
	{ "PolicyArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "TagKeys", FIELD_STRING_LIST, -1, 50, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UntagRole[] = {
	{ "RoleName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "TagKeys", FIELD_STRING_LIST, -1, 50, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UntagSAMLProvider[] = {
	{ "SAMLProviderArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "TagKeys", FIELD_STRING_LIST, -1, 50, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UntagServerCertificate[] = {
	{ "ServerCertificateName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "TagKeys", FIELD_STRING_LIST, -1, 50, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UntagUser[] = {
	{ "UserName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "TagKeys", FIELD_STRING_LIST, -1, 50, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UpdateAccessKey[] = {
	{ "UserName", FIELD_STRING, 1, 128, false, false, NULL },
	{ "AccessKeyId", FIELD_STRING, 16, 128, true, false, NULL },
	{ "Status", FIELD_STRING, -1, -1, true, false, "Active|Inactive|Expired" },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UpdateAccountPasswordPolicy[] = {
	{ "MinimumPasswordLength", FIELD_INTEGER, 6, 128, false, false, NULL },
	{ "RequireSymbols", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ "RequireNumbers", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ "RequireUppercaseCharacters", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ "RequireLowercaseCharacters", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ "AllowUsersToChangePassword", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ "MaxPasswordAge", FIELD_INTEGER, 1, 1095, false, false, NULL },
	{ "PasswordReusePrevention", FIELD_INTEGER, 1, 24, false, false, NULL },
	{ "HardExpiry", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UpdateAssumeRolePolicy[] = {
	{ "RoleName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "PolicyDocument", FIELD_STRING, 1, 131072, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UpdateDelegationRequest[] = {
	{ "DelegationRequestId", FIELD_STRING, 16, 128, true, false, NULL },
	{ "Notes", FIELD_STRING, -1, 500, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UpdateGroup[] = {
	{ "GroupName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "NewPath", FIELD_STRING, 1, 512, false, false, NULL },
	{ "NewGroupName", FIELD_STRING, 1, 128, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UpdateLoginProfile[] = {
	{ "UserName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "Password", FIELD_STRING, 1, 128, false, true, NULL },
	{ "PasswordResetRequired", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UpdateOpenIDConnectProviderThumbprint[] = {
	{ "OpenIDConnectProviderArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "ThumbprintList", FIELD_STRING_LIST, -1, -1, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UpdateRole[] = {
	{ "RoleName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "Description", FIELD_STRING, -1, 1000, false, false, NULL },
	{ "MaxSessionDuration", FIELD_INTEGER, 3600, 43200, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UpdateRoleDescription[] = {
	{ "RoleName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "Description", FIELD_STRING, -1, 1000, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UpdateSAMLProvider[] = {
	{ "SAMLMetadataDocument", FIELD_STRING, 1000, 10000000, false, false, NULL },
	{ "SAMLProviderArn", FIELD_STRING, 20, 2048, true, false, NULL },
	{ "AssertionEncryptionMode", FIELD_STRING, -1, -1, false, false, "Required|Allowed" },
	{ "AddPrivateKey", FIELD_STRING, 1, 16384, false, true, NULL },
	{ "RemovePrivateKey", FIELD_STRING, 22, 64, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UpdateSSHPublicKey[] = {
	{ "UserName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "SSHPublicKeyId", FIELD_STRING, 20, 128, true, false, NULL },
	{ "Status", FIELD_STRING, -1, -1, true, false, "Active|Inactive|Expired" },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UpdateServerCertificate[] = {
	{ "ServerCertificateName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "NewPath", FIELD_STRING, 1, 512, false, false, NULL },
	{ "NewServerCertificateName", FIELD_STRING, 1, 128, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UpdateServiceSpecificCredential[] = {
	{ "UserName", FIELD_STRING, 1, 64, false, false, NULL },
	{ "ServiceSpecificCredentialId", FIELD_STRING, 20, 128, true, false, NULL },
	{ "Status", FIELD_STRING, -1, -1, true, false, "Active|Inactive|Expired" },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UpdateSigningCertificate[] = {
	{ "UserName", FIELD_STRING, 1, 128, false, false, NULL },
	{ "CertificateId", FIELD_STRING, 24, 128, true, false, NULL },
	{ "Status", FIELD_STRING, -1, -1, true, false, "Active|Inactive|Expired" },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UpdateUser[] = {
	{ "UserName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "NewPath", FIELD_STRING, 1, 512, false, false, NULL },
	{ "NewUserName", FIELD_STRING, 1, 64, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UploadSSHPublicKey[] = {
	{ "UserName", FIELD_STRING, 1, 64, true, false, NULL },
	{ "SSHPublicKeyBody", FIELD_STRING, 1, 16384, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UploadServerCertificate[] = {
	{ "Path", FIELD_STRING, 1, 512, false, false, NULL },
	{ "ServerCertificateName", FIELD_STRING, 1, 128, true, false, NULL },
	{ "CertificateBody", FIELD_STRING, 1, 16384, true, false, NULL },
	{ "PrivateKey", FIELD_STRING, 1, 16384, true, true, NULL },
	{ "CertificateChain", FIELD_STRING, 1, 2097152, false, false, NULL },
	{ "Tags", FIELD_TAG_LIST, -1, 50, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec iam_fields_UploadSigningCertificate[] = {
	{ "UserName", FIELD_STRING, 1, 128, false, false, NULL },
	{ "CertificateBody", FIELD_STRING, 1, 16384, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

