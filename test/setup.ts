// Loaded by mocha before every suite (.mocharc.json "require").
// This machine runs Node 20; the AWS SDK would print its support-window warning in every test process.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
