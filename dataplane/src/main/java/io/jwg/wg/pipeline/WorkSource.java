package io.jwg.wg.pipeline;

/**
 * Tells a sleeping consumer whether work is pending; called by the consumer thread right before it
 * parks (after registering as a sleeper on its {@link Doorbell}), so it must be a cheap, racy read.
 */
@FunctionalInterface
public interface WorkSource {
    /** Whether there may be work; false negatives are allowed only if a producer will ring. */
    boolean hasWork();
}
