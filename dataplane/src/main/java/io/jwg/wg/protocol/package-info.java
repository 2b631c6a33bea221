/**
 * Wire formats and constants: {@link io.jwg.wg.protocol.ProtocolConstants} (spec values with the
 * whitepaper's names), {@link io.jwg.wg.protocol.ImplementationLimits} (implementation choices), and
 * one stateless descriptor class per message ({@code InitiationMessage} 148 bytes,
 * {@code ResponseMessage} 92, {@code CookieReplyMessage} 64, {@code TransportMessage} at least 32)
 * with derived offsets and static accessors over {@code (MemorySegment, offset)}.
 * {@link io.jwg.wg.protocol.MessageKind#classify} is the first check of every datagram: the type is
 * read as one little-endian u32, so non-zero reserved bytes are an invalid type.
 */
package io.jwg.wg.protocol;
