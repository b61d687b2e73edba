// Pure core of the exposure planner: posteriors, allocation, off-policy estimates, exposure metrics.
export * from './posterior';
export * from './allocate';
export * from './ips';
export * from './metrics';
export * from './simulate';
