process.env.CC_EARLY = '1';
await import('./load-cached.mjs');
