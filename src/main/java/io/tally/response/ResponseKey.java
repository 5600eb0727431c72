package io.tally.response;

import java.util.Map;

/**
 * What identifies one whole GraphQL answer: who it was read for and exactly what was asked. An
 * entry under this key also holds the refresh generation of every view the answer read and is
 * only used while they are all current, so the key plus those generations name one answer (an
 * ETag can be derived from both).
 *
 * @param tenant the tenant the caller's token resolved to, header applied
 * @param document the document text exactly as sent; only documents that executed without errors
 * (so that passed validation and the limits) are ever kept
 * @param operationName the operation picked, or null
 * @param variables the variables as sent
 */
public record ResponseKey(String tenant, String document, String operationName, Map<String, Object> variables) {
}
