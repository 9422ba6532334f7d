// Loaded by mocha before every suite (.mocharc.json "require").
// On Node 20 (the machine's Node, CI's second leg) the AWS SDK would print its support-window warning in every test process.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
