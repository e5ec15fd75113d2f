/**
 * Delivery attempts and dead letters as the API answers them (snake_case). Vendor exchanges are
 * already masked when recorded; they pass through the debugger's scrubber again on the way out.
 */
import type { RecordedExchange } from '../../deliver/http-client.js';
import type { AttemptRecord, DeadLetter, DeliveryFailure } from '../../store/types.js';
import { scrubHeaders } from '../debugger/scrub.js';

export function failureView(failure: DeliveryFailure) {
  return {
    code: failure.code,
    message: failure.message,
    ...(failure.hint === undefined ? {} : { hint: failure.hint }),
    ...(failure.vendorStatus === undefined ? {} : { vendor_status: failure.vendorStatus }),
    ...(failure.vendorBody === undefined ? {} : { vendor_body: failure.vendorBody }),
  };
}

export function exchangeView(exchange: RecordedExchange) {
  return {
    request: { ...exchange.request, headers: scrubHeaders(exchange.request.headers) },
    ...(exchange.response ? { response: exchange.response } : {}),
    ...(exchange.error === undefined ? {} : { error: exchange.error }),
    latency_ms: exchange.latencyMs,
    at: exchange.at,
  };
}

export function attemptView(attempt: AttemptRecord) {
  // The profile write is the last exchange; a token exchange before it has no body.
  const body = [...attempt.exchanges].reverse().find((exchange) => exchange.request.body)
    ?.request.body;

  return {
    delivery_id: attempt.deliveryId,
    profile_key: attempt.profileKey,
    attempt: attempt.attempt,
    outcome: attempt.outcome,
    ...(attempt.status === undefined ? {} : { status: attempt.status }),
    ...(attempt.error ? { error: failureView(attempt.error) } : {}),
    latency_ms: attempt.latencyMs,
    at: attempt.at,
    ...(body === undefined ? {} : { request_body: body }),
    exchanges: attempt.exchanges.map(exchangeView),
  };
}

export function deadLetterView(letter: DeadLetter) {
  return {
    id: letter.id,
    integration_id: letter.integrationId,
    profile_key: letter.profileKey,
    attributes: letter.attributes,
    message_ids: letter.messageIds,
    attempts: letter.attempts,
    error: failureView(letter.error),
    failed_at: letter.failedAt,
  };
}
