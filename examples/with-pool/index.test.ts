// Unit test of the example's wiring, with Pulumi's mocks: no engine, no Cognito, no AWS.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";

const registered: Array<{ type: string; name: string; inputs: Record<string, unknown> }> = [];

/** Resolves an output's value and whether Pulumi treats it as secret. */
async function resolve<T>(output: pulumi.Output<T>): Promise<{ value: T; secret: boolean }> {
    const internal = output as unknown as { promise(): Promise<T>; isSecret: Promise<boolean> };
    return { value: await internal.promise(), secret: await internal.isSecret };
}

describe("examples/with-pool (mocks)", function () {
    let program: typeof import("./index");

    before(async function () {
        pulumi.runtime.setAllConfig({ "project:adminPassword": "Mock-Password-1!" }, ["project:adminPassword"]);
        await pulumi.runtime.setMocks(
            {
                newResource(args) {
                    registered.push({ type: args.type, name: args.name, inputs: args.inputs });
                    const id = args.type === "aws:cognito/userPool:UserPool" ? "eu-west-1_MockPool1" : `${args.name}-id`;
                    const state = {
                        ...args.inputs,
                        ...(args.type.includes("CognitoUser") ? { sub: `${args.name}-sub`, status: "CONFIRMED" } : {}),
                    };
                    if (args.type.includes("CognitoUser") && args.inputs.generatePassword) state.password = "Generated-Mock-1!";
                    return { id, state };
                },
                call: (args) => args.inputs,
            },
            "project",
            "stack",
            false,
        );
        program = await import("./index");
    });

    it("passes the pool's id to every user", async function () {
        const poolId = (await resolve(program.pool.id)).value;
        for (const user of [program.admin, program.editor, program.locked]) {
            assert.strictEqual((await resolve(user.userPoolId)).value, poolId);
        }
    });

    it("registers the users as CognitoUser dynamic resources", function () {
        const users = registered.filter((r) => r.type === "pulumi-nodejs:dynamic/cognito:CognitoUser").map((r) => r.name);
        assert.deepStrictEqual(users.sort(), ["admin", "editor", "locked"]);
    });

    it("hands the groups' names to the users", async function () {
        assert.deepStrictEqual((await resolve(program.admin.groups)).value, ["admins"]);
        assert.deepStrictEqual((await resolve(program.editor.groups)).value, ["editors"]);
    });

    it("keeps passwords secret: the declared one and the generated one", async function () {
        const declared = await resolve(program.admin.password);
        assert.strictEqual(declared.secret, true, "admin.password must be a secret output");
        const generated = await resolve(program.editorPassword);
        assert.strictEqual(generated.secret, true, "editor.password must be a secret output");
        assert.ok(typeof generated.value === "string" && generated.value.length > 0);
    });

    it("declares the locked user disabled", async function () {
        assert.strictEqual((await resolve(program.locked.enabled)).value, false);
    });
});
