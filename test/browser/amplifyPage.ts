/**
 * The Amplify JS v6 page of the browser tests, bundled for the browser by esbuild (see ./signedInPage.ts):
 * like an app built with Amplify, it configures Auth for the pool and asks `getCurrentUser()` and
 * `fetchAuthSession()` who is signed in (both read the session from localStorage), showing it in the same
 * elements as ./signedInPage.html. The pool comes from the query string: ?userPoolId=...&clientId=...&endpoint=...
 * `aws-amplify`'s `Amplify.configure` wires the token provider the same way; the two packages it wraps
 * are used here directly, to keep the test's dependencies small.
 */
import { Amplify } from "@aws-amplify/core";
import { fetchAuthSession, getCurrentUser } from "@aws-amplify/auth";
import { cognitoUserPoolsTokenProvider } from "@aws-amplify/auth/cognito";

// Not in the test's tsconfig (no DOM library there): what this page uses of the browser.
declare const location: { search: string };
declare const document: { getElementById(id: string): { textContent: string | null } };

const query = new URLSearchParams(location.search);
const authConfig = {
    Cognito: {
        userPoolId: query.get("userPoolId") ?? "",
        userPoolClientId: query.get("clientId") ?? "",
        userPoolEndpoint: query.get("endpoint") || undefined,
    },
};
cognitoUserPoolsTokenProvider.setAuthConfig(authConfig);
Amplify.configure({ Auth: authConfig }, { Auth: { tokenProvider: cognitoUserPoolsTokenProvider } });

const show = (status: string, username: string, groups = "", loginId = "") => {
    document.getElementById("username")!.textContent = username;
    document.getElementById("groups")!.textContent = groups;
    document.getElementById("login-id")!.textContent = loginId;
    document.getElementById("status")!.textContent = status; // last: the tests wait for it
};

(async () => {
    try {
        const user = await getCurrentUser();
        const { tokens } = await fetchAuthSession();
        const groups = (tokens?.accessToken.payload["cognito:groups"] as string[] | undefined) ?? [];
        show("signed in", user.username, groups.join(","), user.signInDetails?.loginId ?? "");
    } catch (error) {
        show("signed out", (error as Error).name);
    }
})();
