package io.jwg.wg.peer;

import io.jwg.wg.protocol.ImplementationLimits;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Packets waiting for a session (kernel {@code staged_packet_queue}): a FIFO of at most
 * {@link ImplementationLimits#MAX_STAGED_PACKETS} copies; staging into a full queue drops the oldest.
 * A zero-length entry is a keepalive. Slots keep their buffers for reuse, so after warm-up staging
 * allocates nothing. {@code synchronized}: the TX stage stages, whoever gets a session drains.
 */
public final class StagedPackets {
    private final int capacity;
    private final byte[][] buffers;
    private final int[] lengths;
    private int head;
    private int count;

    /** A queue with the kernel's capacity. */
    public StagedPackets() {
        this(ImplementationLimits.MAX_STAGED_PACKETS);
    }

    /** A queue holding at most {@code capacity} packets. */
    public StagedPackets(final int capacity) {
        this.capacity = capacity;
        this.buffers = new byte[capacity][];
        this.lengths = new int[capacity];
    }

    /**
     * Copies {@code src[off, off + length)} to the tail.
     *
     * @return true if the oldest packet had to be dropped to make room
     */
    public synchronized boolean stage(final MemorySegment src, final long off, final int length) {
        boolean dropped = false;
        if (count == capacity) {
            head = (head + 1) % capacity;
            count--;
            dropped = true;
        }
        final int slot = (head + count) % capacity;
        byte[] b = buffers[slot];
        if (b == null || b.length < length) {
            b = new byte[Math.max(length, 128)];
            buffers[slot] = b;
        }
        MemorySegment.copy(src, ValueLayout.JAVA_BYTE, off, b, 0, length);
        lengths[slot] = length;
        count++;
        return dropped;
    }

    /** Stages a keepalive (an empty packet) if the queue is empty, as the kernel does. */
    public synchronized void stageKeepaliveIfEmpty() {
        if (count == 0) {
            lengths[head] = 0;
            if (buffers[head] == null) {
                buffers[head] = new byte[128];
            }
            count = 1;
        }
    }

    /** Number of staged packets. */
    public synchronized int size() {
        return count;
    }

    /** Whether nothing is staged. */
    public synchronized boolean isEmpty() {
        return count == 0;
    }

    /**
     * Copies the oldest packet into {@code dst} at {@code dstOff} without removing it.
     *
     * @return its length, or -1 if the queue is empty
     */
    public synchronized int peek(final MemorySegment dst, final long dstOff) {
        if (count == 0) {
            return -1;
        }
        final int len = lengths[head];
        MemorySegment.copy(buffers[head], 0, dst, ValueLayout.JAVA_BYTE, dstOff, len);
        return len;
    }

    /** Length of the oldest packet, or -1 if empty. */
    public synchronized int peekLength() {
        return count == 0 ? -1 : lengths[head];
    }

    /** Removes the oldest packet. */
    public synchronized void pop() {
        if (count > 0) {
            java.util.Arrays.fill(buffers[head], 0, lengths[head], (byte) 0);
            head = (head + 1) % capacity;
            count--;
        }
    }

    /**
     * Drops everything.
     *
     * @return how many packets were dropped
     */
    public synchronized int clear() {
        final int n = count;
        while (count > 0) {
            pop();
        }
        head = 0;
        return n;
    }
}
