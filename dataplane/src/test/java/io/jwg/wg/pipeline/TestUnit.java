package io.jwg.wg.pipeline;

import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/** Unit for tests: remembers who made it and in which order; crypt() optionally dawdles or dies. */
final class TestUnit extends Unit {
    int peer = -1;
    int producer = -1;
    long seq = -1;
    /** Outcome crypt() returns. */
    int outcome = CRYPTED;
    /** Random delay in crypt(): 0 none, 1 spin, 2 yield, 3 park. */
    int delayKind;
    int delayAmount;
    int recycled;

    TestUnit(UnitPool<TestUnit> pool) {
        super(0, 4, pool);
    }

    TestUnit() {
        super(0, 4, null);
    }

    void set(int peer, int producer, long seq) {
        this.peer = peer;
        this.producer = producer;
        this.seq = seq;
    }

    void randomize(SplittableRandom r, double deadProbability) {
        outcome = r.nextDouble() < deadProbability ? DEAD : CRYPTED;
        delayKind = r.nextInt(4);
        delayAmount = r.nextInt(200);
    }

    @Override
    protected int crypt() {
        switch (delayKind) {
            case 1 -> {
                for (int i = 0; i < delayAmount; i++) {
                    Thread.onSpinWait();
                }
            }
            case 2 -> Thread.yield();
            case 3 -> LockSupport.parkNanos(delayAmount * 100L);
            default -> { }
        }
        return outcome;
    }

    @Override
    protected void onRecycle() {
        peer = -1;
        producer = -1;
        seq = -1;
        outcome = CRYPTED;
        delayKind = 0;
        recycled++;
    }
}
