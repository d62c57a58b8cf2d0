// One error handler for the whole API: every 4xx has a stable code and a clear message; a 5xx is
// logged with its request id and hidden from the client.
import fp from 'fastify-plugin'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { ApiError, type ErrorDetail } from '../../errors'

// Fastify's own client-error codes, mapped to ours.
const FASTIFY_CODES: Record<string, { code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'MALFORMED_JSON', message: 'The request body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'MALFORMED_JSON', message: 'The request body is empty but declared as JSON.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the body as application/json.' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'BAD_REQUEST', message: 'The Content-Length header does not match the body.' },
}

function validationDetails(error: FastifyError): ErrorDetail[] {
  return (error.validation ?? []).map((issue) => {
    const params = issue.params as Record<string, unknown>
    const base = issue.instancePath || ''
    if (typeof params.additionalProperty === 'string') {
      return { path: `${base}/${params.additionalProperty}`, message: 'is not a known field' }
    }
    if (typeof params.missingProperty === 'string') {
      return { path: `${base}/${params.missingProperty}`, message: 'is required' }
    }
    return { path: base || '/', message: issue.message ?? 'is invalid' }
  })
}

function send(reply: FastifyReply, request: FastifyRequest, status: number, code: string, message: string, details?: ErrorDetail[]) {
  return reply.status(status).send({ error: { code, message, ...(details?.length ? { details } : {}) }, requestId: request.id })
}

export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof ApiError) {
        if (error.statusCode >= 500) request.log.error({ err: error.cause ?? error }, error.message)
        return send(reply, request, error.statusCode, error.code, error.message, error.details)
      }
      if (error.validation) {
        const where = error.validationContext ?? 'request'
        return send(reply, request, 400, 'VALIDATION_FAILED', `The ${where} is not valid.`, validationDetails(error))
      }
      const known = error.code ? FASTIFY_CODES[error.code] : undefined
      if (known) return send(reply, request, error.statusCode ?? 400, known.code, known.message)
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return send(reply, request, error.statusCode, 'BAD_REQUEST', error.message)
      }
      request.log.error({ err: error }, 'unhandled error')
      return send(reply, request, 500, 'INTERNAL_ERROR', `Something went wrong on our side. Quote request id ${request.id} when reporting it.`)
    })

    app.setNotFoundHandler((request, reply) =>
      send(reply, request, 404, 'ROUTE_NOT_FOUND', `There is no route ${request.method} ${request.url.split('?')[0]}.`),
    )
  },
  { name: 'errors' },
)
