// Lint: typescript-eslint's recommended rules, and the layers of docs/architecture.md (principle 5)
// as import rules per folder, so a layer pointing the wrong way fails `npm test`.
//
//   sim/              the clock, the trace and its exporters: the bottom, imports no other layer
//   squirrel/         Squirrel → JavaScript; nothing of imps (the runtime's interface as types only)
//   runtime/          Squirrel semantics as JS; nothing of imps, nothing of the host
//   sandbox/          QuickJS VMs; nothing of pins, devices or clouds
//   device/           the virtual imp; nothing of cloud/, factory/ or the simulation (world/)
//   device/guest/     runs inside QuickJS: only runtime/ and device/shared/
//   device/shared/    what guest and host share: constants and the host-call table
//   agent/            an agent's VM and host half: nothing of the cloud's insides or above
//   agent/guest/      runs inside QuickJS: only runtime/, agent/shared/, and the device's guest
//                     code and shared constants it builds on (blob, crypto, the message codec)
//   agent/shared/     what the agent's guest and host share: the host-call table
//   cloud/            the impCloud; of device/ only the link (device/cloud-link.ts)
//   board/            boards around a device, as data; bridge/ pins and UARTs to real ports
//   world/            the simulation composing devices, the impCloud and an engine
//   factory/, testing/, cli/   on top
//
// Formatting is Prettier's (prettier.config.js, `npm run format`), not ESLint's.

import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Import patterns no file of a folder may use, each with the reason a reader sees. */
function forbid(files, patterns) {
  return {
    files,
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { patterns }],
    },
  };
}

const layer = (regex, message, allowTypeImports = false) => ({ regex, message, allowTypeImports });

const UPPER = "cli|testing|factory|world|bridge";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "test/testing/fixtures/**", "bench/js/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: "readonly",
        process: "readonly",
        performance: "readonly",
        URL: "readonly",
        Buffer: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        setImmediate: "readonly",
        globalThis: "readonly",
        TextEncoder: "readonly",
        TextDecoder: "readonly",
      },
    },
    rules: {
      // Unused names are the compiler's job (noUnusedLocals, noUnusedParameters in tsconfig).
      "@typescript-eslint/no-unused-vars": "off",
      "no-unused-vars": "off",
      // `const self = this` gives object literals with getters (BootDevice, SquirrelDevice) the device.
      "@typescript-eslint/no-this-alias": ["error", { allowedNames: ["self"] }],
      // Errors a user reads are reworded on purpose (a file that cannot be read, a crashed engine);
      // attaching the internal cause would change what they print.
      "preserve-caught-error": "off",
    },
  },

  forbid(
    ["src/sim/**"],
    [
      layer(
        `^\\.\\./(?!sim/)`,
        "sim/ is the bottom layer (clock, trace, exporters): it imports no other layer",
      ),
    ],
  ),
  forbid(
    ["src/squirrel/**"],
    [
      layer(
        `^\\.\\./(?!squirrel/|runtime/)`,
        "squirrel/ knows nothing of imps, the sandbox or the simulation",
      ),
      layer(`^\\.\\./runtime/`, "squirrel/ may know the runtime's interface as types only", true),
    ],
  ),
  forbid(
    ["src/runtime/**"],
    [
      layer(
        `^(\\.\\./)+(?!runtime/|stdlib/)[a-z-]+/`,
        "runtime/ knows nothing of imps, the sandbox or the compiler's insides",
      ),
    ],
  ),
  forbid(
    ["src/sandbox/**"],
    [
      layer(
        `^\\.\\./(device|cloud|${UPPER})/`,
        "sandbox/ knows nothing of pins, devices or clouds",
      ),
    ],
  ),
  forbid(
    ["src/device/**"],
    [
      layer(
        `^(\\.\\./)+(cloud|${UPPER})/`,
        "device/ knows nothing of the cloud's insides, factories or the simulation",
      ),
    ],
  ),
  forbid(
    ["src/device/guest/**"],
    [
      layer(
        `^\\.\\./(?!shared/|\\.\\./)`,
        "guest code runs inside QuickJS: of the device it imports only device/shared/",
      ),
      layer(
        `^\\.\\./\\.\\./(?!runtime/)`,
        "guest code runs inside QuickJS: beyond the device, only the runtime",
      ),
    ],
  ),
  forbid(
    ["src/device/shared/**"],
    [
      layer(
        `^\\.\\./(?!models/model\\.ts$)`,
        "device/shared/ is neutral ground: it imports neither the guest nor the host",
      ),
    ],
  ),
  forbid(
    ["src/agent/**"],
    [
      layer(
        `^(\\.\\./)+(cloud|${UPPER})/`,
        "agent/ knows nothing of the cloud's insides, factories or the simulation",
      ),
    ],
  ),
  forbid(
    ["src/agent/guest/**"],
    [
      layer(
        `^\\.\\./(?!shared/|\\.\\./)`,
        "guest code runs inside QuickJS: of the agent it imports only agent/shared/",
      ),
      layer(
        `^\\.\\./\\.\\./(?!runtime/|device/guest/|device/shared/)`,
        "guest code runs inside QuickJS: beyond the agent, only the runtime and the device's guest code",
      ),
    ],
  ),
  forbid(
    ["src/agent/shared/**"],
    [
      layer(
        `^\\.\\./`,
        "agent/shared/ is neutral ground: it imports neither the guest nor the host",
      ),
    ],
  ),
  forbid(
    ["src/cloud/**"],
    [
      layer(
        `^\\.\\./device/(?!cloud-link\\.ts$)`,
        "cloud/ talks to devices only through device/cloud-link.ts",
      ),
      layer(
        `^\\.\\./(sandbox|${UPPER})/`,
        "cloud/ sits below the simulation, the factory and the CLI",
      ),
    ],
  ),
  forbid(
    ["src/board/**"],
    [
      layer(
        `^\\.\\./(cloud|world|factory|cli|testing|bridge)/`,
        "board/ describes hardware around a device: nothing of clouds, the simulation or what sits on top",
      ),
    ],
  ),
  forbid(
    ["src/bridge/**"],
    [
      layer(
        `^\\.\\./(cloud|factory|cli|testing)/`,
        "bridge/ maps pins to real ports: nothing of clouds, factories or what sits on top",
      ),
    ],
  ),
  forbid(
    ["src/world/**"],
    [
      layer(
        `^\\.\\./(cli|testing|factory|bridge)/`,
        "world/ sits below the factory, testing/ and the CLI",
      ),
    ],
  ),
  forbid(
    ["src/factory/**"],
    [layer(`^\\.\\./(cli|testing)/`, "factory/ sits below testing/ and the CLI")],
  ),
  forbid(["src/testing/**"], [layer(`^\\.\\./cli/`, "testing/ sits below the CLI")]),
);
