// Logs are asserted by the tests that capture them; elsewhere they would drown the report.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
// The SDK's credential chain ends with the EC2 instance metadata service: tests must never
// reach for it (nothing of theirs is at 169.254.169.254), so a missing key fails at once.
process.env.AWS_EC2_METADATA_DISABLED = 'true';
