process.env.CC_NOCACHE = '1';
await import('./load-cached.mjs');
