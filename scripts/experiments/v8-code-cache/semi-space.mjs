// Experiment (decision 0012, code-cache pass): does a larger young generation set at run time
// (v8.setFlagsFromString, before the bundle loads) cut the scavenges of a start? Run with --trace-gc.
import v8 from 'node:v8';

v8.setFlagsFromString(`--min-semi-space-size=${process.env.CC_SEMI_MB ?? 16}`);
await import('../../../bin/mailroom.js');
