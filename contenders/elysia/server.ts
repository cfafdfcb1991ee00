// The Elysia contender of `ladder http`: the four benchmark endpoints on Bun, on 127.0.0.1:$PORT.
// Run without LADDER_ELYSIA_WORKER it is the supervisor: it starts $WORKERS copies of itself, each
// listening on the same port with SO_REUSEPORT (the kernel spreads connections), and stops them on
// SIGTERM. Responses match ladder's own server (src/http/bench_app.c) byte for byte.
import { Elysia, t } from 'elysia'
// TypeBox's own Integer: Elysia's t.Integer also accepts integer strings ("3"), the contract does not
import { Type } from '@sinclair/typebox'

const port = Number(process.env.PORT ?? 8080)

if (!process.env.LADDER_ELYSIA_WORKER) {
    const n = Math.max(1, Number(process.env.WORKERS ?? 1) || 1)
    const workers = Array.from({ length: n }, () =>
        Bun.spawn([process.execPath, import.meta.path], {
            env: { ...process.env, LADDER_ELYSIA_WORKER: '1' },
            stdio: ['ignore', 'inherit', 'inherit'],
        }),
    )
    let stopping = false
    const stop = (code: number) => {
        stopping = true
        for (const w of workers) w.kill('SIGTERM')
        Promise.all(workers.map((w) => w.exited)).then(() => process.exit(code))
    }
    process.on('SIGTERM', () => stop(0))
    process.on('SIGINT', () => stop(0))
    // one worker dying takes the whole server down, so the harness sees it
    for (const w of workers)
        w.exited.then((rc) => {
            if (!stopping) {
                console.error(`elysia: a worker exited with ${rc}`)
                stop(1)
            }
        })
} else {
    new Elysia()
        .onError(({ code, error, set }) => {
            if (code === 'VALIDATION') {
                set.status = 400
                // a property's own message, or none when the body is not an object at all
                const msg = error.valueError?.path ? error.customError : undefined
                return { error: typeof msg === 'string' ? msg : 'body must be a JSON object' }
            }
            if (code === 'PARSE') {
                set.status = 400
                return { error: 'body is not valid JSON' }
            }
            if (code === 'NOT_FOUND') {
                set.status = 404
                return { error: 'not found' }
            }
        })
        .get('/plaintext', () => 'Hello, World!')
        .get('/json', () => ({ message: 'Hello, World!' }))
        .get('/user/:id', ({ params: { id } }) => ({ id, name: `User ${id}` }))
        .post('/validate', ({ body: { name, age } }) => ({ name, age, valid: true }), {
            // properties are checked in this order, so a bad name is reported before a bad age
            body: t.Object({
                name: t.String({ minLength: 1, error: 'name must be a non-empty string' }),
                age: Type.Integer({ minimum: 0, maximum: 150, error: 'age must be an integer between 0 and 150' }),
            }),
        })
        .listen({ hostname: '127.0.0.1', port, reusePort: true })
    process.on('SIGTERM', () => process.exit(0))
    // a supervisor killed outright (SIGKILL) cannot stop its workers: they stop once it is gone
    const parent = process.ppid
    setInterval(() => process.ppid !== parent && process.exit(0), 1000).unref()
}
