import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['lib/**/*.test.ts', 'bench/**/*.test.ts', 'data/**/*.test.ts'],
    testTimeout: 60_000,
  },
})
