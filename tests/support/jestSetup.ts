// The SDK warns once per process that it will need Node 22 from 2027; Lambda runs nodejs22.x
// and this machine Node 20, so the notice is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// Logs are asserted by the tests that capture them; elsewhere they would drown the report.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
