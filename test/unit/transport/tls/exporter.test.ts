// RFC 5705 export helper: refuses sockets without a finished TLS 1.2 handshake and bad arguments.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { TLSSocket } from 'node:tls'
import { exportKeyingMaterial } from '../../../../src/transport/index.js'

test('RFC 5705 export is refused before the handshake and for out-of-range lengths', () => {
  const socket = new TLSSocket(null as never, {})
  try {
    assert.throws(() => exportKeyingMaterial(socket, 'EXPORTER-oneM2M-Bootstrap', 48), { code: 'M2MSEC_TLS_NOT_ESTABLISHED' })
    assert.throws(() => exportKeyingMaterial(socket, 'EXPORTER-oneM2M-Bootstrap', 0), { code: 'M2MSEC_TLS_CONFIG_INVALID' })
    assert.throws(() => exportKeyingMaterial(socket, '', 48), { code: 'M2MSEC_TLS_CONFIG_INVALID' })
  } finally {
    socket.destroy()
  }
})
