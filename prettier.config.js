// Prettier formats the tree (`npm run format`; `npm run format:check` checks it). Width 100, as
// the emulator code we take as a model uses; otherwise Prettier's defaults.
export default {
  printWidth: 100,
};
