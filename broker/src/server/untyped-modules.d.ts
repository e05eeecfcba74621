// The async (aedes 1.x) persistence classes ship without type declarations; aedes types them as `any` too.
declare module 'aedes-persistence-level/asyncPersistence.js' {
  const AsyncLevelPersistence: new (db: unknown) => object;
  export default AsyncLevelPersistence;
}
declare module 'aedes-persistence-redis/asyncPersistence.js' {
  const AsyncRedisPersistence: new (opts: Record<string, unknown>) => object;
  export default AsyncRedisPersistence;
}
