// Test helper: the textual forms a leaked key could take (STYLE.md §10 assertNoSecrets), and an
// assertion that none of them occurs in a piece of output.
import assert from 'node:assert/strict'

export function secretForms(bytes: Uint8Array): string[] {
  const b = Buffer.from(bytes)
  return [b.toString('hex'), b.toString('hex').toUpperCase(), b.toString('base64'), b.toString('base64url')]
}

export function assertNoSecretIn(text: string, secrets: readonly Uint8Array[], what: string): void {
  for (const secret of secrets) {
    for (const form of secretForms(secret)) assert.ok(!text.includes(form), `${what} contains key bytes`)
  }
}
