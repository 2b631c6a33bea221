package io.jwg.bindings.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PacketPoolTest {

    @Test
    void shouldMatchASetOfFreeSlotsWhenDrivenRandomly() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        try (PacketPool pool = new PacketPool(100, 1500)) {
            Set<Integer> held = new HashSet<>();
            List<Integer> heldList = new ArrayList<>();
            for (int step = 0; step < 20_000; step++) {
                if (rnd.nextBoolean()) {
                    int s = pool.acquire();
                    if (held.size() == 100) {
                        assertEquals(-1, s, "seed " + seed);
                    } else {
                        assertTrue(s >= 0 && held.add(s), "seed " + seed + ": slot " + s);
                        heldList.add(s);
                    }
                } else if (!heldList.isEmpty()) {
                    int s = heldList.remove(rnd.nextInt(heldList.size()));
                    held.remove(s);
                    pool.release(s);
                }
                assertEquals(100 - held.size(), pool.available(), "seed " + seed);
            }
        }
    }

    @Test
    void shouldAlignSlotsAndRejectDoubleRelease() {
        try (PacketPool pool = new PacketPool(4, 1420)) {
            assertEquals(0, pool.address() % 4096);
            assertEquals(1472, pool.slotStride());
            int s = pool.acquire();
            assertEquals(0, pool.slotAddress(s) % 64);
            assertEquals(s, pool.slotOf(pool.slotOffset(s) + 1419));
            pool.release(s);
            assertTrue(pool.isFree(s));
            assertThrows(IllegalStateException.class, () -> pool.release(s));
            assertThrows(IllegalArgumentException.class, () -> pool.release(4));
            assertFalse(pool.isFree(pool.acquire()));
        }
    }

    @Test
    void shouldRoundTripAddressesAndReleaseOnlyOwnedSlotsWhenBatchCleared() {
        try (PacketPool pool = new PacketPool(8, 256)) {
            DatagramBatch b = new DatagramBatch(pool, 4);
            int i = b.add(pool.acquire(), 0, 10);
            b.setRemoteIpv4(i, 0xc0000201, 51820);
            int j = b.add(pool.acquire(), 0, 10);
            b.setRemoteIpv6(j, 0x20010db800000000L, 0x1234L, 443, 7);
            b.setLocalIpv6(j, 0x20010db800000000L, 0x1L, 3);
            assertEquals(io.jwg.bindings.libc.socket_h.AF_INET, b.remoteFamily(i));
            assertEquals(0xc0000201, b.remoteIpv4(i));
            assertEquals(51820, b.remotePort(i));
            assertEquals(io.jwg.bindings.libc.socket_h.AF_INET6, b.remoteFamily(j));
            assertEquals(0x20010db800000000L, b.remoteIpv6High(j));
            assertEquals(0x1234L, b.remoteIpv6Low(j));
            assertEquals(443, b.remotePort(j));
            assertEquals(7, b.remoteScopeId(j));
            assertEquals(1L, b.localIpv6Low(j));
            assertEquals(3, b.localIfindex(j));
            int k = b.add(pool.acquire(), 0, 1);
            b.copyAddresses(k, b, j);
            assertEquals(0x1234L, b.remoteIpv6Low(k));
            assertEquals(3, b.localIfindex(k));
            int kept = b.detach(k);
            b.clear();
            assertEquals(7, pool.available());
            pool.release(kept);
            assertEquals(8, pool.available());
        }
    }
}
