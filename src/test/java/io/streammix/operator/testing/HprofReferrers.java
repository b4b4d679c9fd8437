package io.streammix.operator.testing;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who holds the primitive arrays of one type in a heap dump ({@code jcmd PID GC.heap_dump}, HPROF 1.0.2): for each
 * array of {@code int[]} (or another primitive type), the class of the object that references it and, one level up,
 * the class of what references that object; printed as counts and bytes per referrer chain. A small reader of its own
 * (no MAT, no jhat on this machine): three passes over the dump, keeping only class layouts, the arrays' ids and the
 * ids of their referrers. Run on a dump by {@code OperatorScaleBenchmark -Dbenchmark.heap-dump=1000}, or by hand:
 * {@code java -cp target/test-classes io.streammix.operator.testing.HprofReferrers dump.hprof [int]}.
 */
public final class HprofReferrers {
    private static final int STRING = 0x01, LOAD_CLASS = 0x02, HEAP_DUMP = 0x0C, HEAP_DUMP_SEGMENT = 0x1C;
    private static final int ROOT_UNKNOWN = 0xFF, ROOT_JNI_GLOBAL = 0x01, ROOT_JNI_LOCAL = 0x02, ROOT_JAVA_FRAME = 0x03,
            ROOT_NATIVE_STACK = 0x04, ROOT_STICKY_CLASS = 0x05, ROOT_THREAD_BLOCK = 0x06, ROOT_MONITOR_USED = 0x07,
            ROOT_THREAD_OBJECT = 0x08, CLASS_DUMP = 0x20, INSTANCE_DUMP = 0x21, OBJ_ARRAY_DUMP = 0x22, PRIM_ARRAY_DUMP = 0x23;
    private static final Map<String, Integer> PRIMITIVES = Map.of("boolean", 4, "char", 5, "float", 6, "double", 7,
            "byte", 8, "short", 9, "int", 10, "long", 11);

    private final Path file;
    private int idSize;
    private final Map<Long, String> strings = new HashMap<>();
    private final Map<Long, String> classNames = new HashMap<>();
    /** Per class id: its super class id and its instance fields' types (in dump order: own fields first). */
    private final Map<Long, Long> superOf = new HashMap<>();
    private final Map<Long, byte[]> fieldTypes = new HashMap<>();
    /** Per object: its class (only for the objects of interest). */
    private final Map<Long, String> classOfHolder = new HashMap<>();

    private HprofReferrers(Path file) {
        this.file = file;
    }

    public static void main(String[] args) throws IOException {
        System.out.print(report(Path.of(args[0]), args.length > 1 ? args[1] : "int", 25));
    }

    /** The top {@code limit} referrer chains of the arrays of {@code primitive} ("int", "long", "byte", ...). */
    public static String report(Path dump, String primitive, int limit) throws IOException {
        HprofReferrers r = new HprofReferrers(dump);
        int type = PRIMITIVES.get(primitive);
        Map<Long, Long> arrays = new HashMap<>(); // array id -> bytes
        r.pass((tag, in) -> r.collectArrays(tag, in, type, arrays), true);
        Map<Long, Long> holderOf = new HashMap<>(); // array id -> holder id (the first found)
        r.pass((tag, in) -> r.collectReferrers(tag, in, arrays.keySet(), holderOf, true), false);
        Set<Long> holders = new HashSet<>(holderOf.values());
        Map<Long, Long> ownerOf = new HashMap<>(); // holder id -> its holder
        r.pass((tag, in) -> r.collectReferrers(tag, in, holders, ownerOf, false), false);
        Map<String, long[]> chains = new HashMap<>();
        long total = 0;
        for (Map.Entry<Long, Long> a : arrays.entrySet()) {
            Long holder = holderOf.get(a.getKey());
            String chain = holder == null ? "(no referrer: a root or unreachable)"
                    : r.classOfHolder.getOrDefault(ownerOf.get(holder), "(root)") + " -> " + r.classOfHolder.get(holder);
            long[] c = chains.computeIfAbsent(chain, k -> new long[2]);
            c[0]++;
            c[1] += a.getValue();
            total += a.getValue();
        }
        StringBuilder out = new StringBuilder(String.format("%s[] in %s: %d arrays, %d KiB; by referrer (its referrer -> it):%n",
                primitive, dump.getFileName(), arrays.size(), total >> 10));
        List<Map.Entry<String, long[]>> sorted = new ArrayList<>(chains.entrySet());
        sorted.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        sorted.stream().limit(limit).forEach(e -> out.append(String.format("%8d arrays %8d KiB  %s%n", e.getValue()[0],
                e.getValue()[1] >> 10, e.getKey())));
        return out.toString();
    }

    private interface SubRecord {
        /** Reads one heap dump sub-record whose tag is read already; false when the tag is not one it reads. */
        boolean read(int tag, Input in) throws IOException;
    }

    private void pass(SubRecord sub, boolean names) throws IOException {
        try (Input in = new Input(file)) {
            while (in.readByte() != 0) {
                // "JAVA PROFILE 1.0.2\0"
            }
            idSize = in.readInt();
            in.skipN(8);
            while (true) {
                int tag;
                try {
                    tag = in.readUnsignedByte();
                } catch (EOFException e) {
                    return;
                }
                in.skipN(4);
                long length = in.readInt() & 0xFFFFFFFFL;
                if (tag == STRING && names) {
                    long id = in.id(idSize);
                    byte[] text = new byte[(int) length - idSize];
                    in.readFully(text);
                    strings.put(id, new String(text, java.nio.charset.StandardCharsets.UTF_8));
                } else if (tag == LOAD_CLASS && names) {
                    in.skipN(4);
                    long classId = in.id(idSize);
                    in.skipN(4);
                    classNames.put(classId, strings.getOrDefault(in.id(idSize), "?").replace('/', '.'));
                } else if (tag == HEAP_DUMP || tag == HEAP_DUMP_SEGMENT) {
                    long end = in.position() + length;
                    while (in.position() < end) {
                        int subTag = in.readUnsignedByte();
                        if (!sub.read(subTag, in)) {
                            skipSubRecord(subTag, in, names);
                        }
                    }
                } else {
                    in.skipN(length);
                }
            }
        }
    }

    private boolean collectArrays(int tag, Input in, int type, Map<Long, Long> arrays) throws IOException {
        if (tag != PRIM_ARRAY_DUMP) {
            return false;
        }
        long id = in.id(idSize);
        in.skipN(4);
        int length = in.readInt();
        int elementType = in.readUnsignedByte();
        int size = length * elementSize(elementType);
        if (elementType == type) {
            arrays.put(id, 16L + size);
        }
        in.skipN(size);
        return true;
    }

    /** Finds who references the ids in {@code wanted}: into {@code holderOf} (wanted id -> referrer id). */
    private boolean collectReferrers(int tag, Input in, Set<Long> wanted, Map<Long, Long> holderOf, boolean remember)
            throws IOException {
        if (tag == INSTANCE_DUMP) {
            long id = in.id(idSize);
            in.skipN(4);
            long classId = in.id(idSize);
            int length = in.readInt();
            long end = in.position() + length;
            for (long c = classId; c != 0 && fieldTypes.containsKey(c); c = superOf.getOrDefault(c, 0L)) {
                for (byte t : fieldTypes.get(c)) {
                    if (t == 2) {
                        long ref = in.id(idSize);
                        if (ref != 0 && wanted.contains(ref) && holderOf.putIfAbsent(ref, id) == null) {
                            classOfHolder.put(id, classNames.getOrDefault(classId, "?"));
                        }
                    } else {
                        in.skipN(elementSize(t));
                    }
                }
            }
            in.skipN(end - in.position());
            return true;
        }
        if (tag == OBJ_ARRAY_DUMP) {
            long id = in.id(idSize);
            in.skipN(4);
            int length = in.readInt();
            long classId = in.id(idSize);
            for (int i = 0; i < length; i++) {
                long ref = in.id(idSize);
                if (ref != 0 && wanted.contains(ref) && holderOf.putIfAbsent(ref, id) == null) {
                    classOfHolder.put(id, classNames.getOrDefault(classId, "?") + "[]");
                }
            }
            return true;
        }
        if (tag == CLASS_DUMP) {
            readClass(in, wanted, holderOf);
            return true;
        }
        return false;
    }

    private void readClass(Input in, Set<Long> wanted, Map<Long, Long> holderOf) throws IOException {
        long classId = in.id(idSize);
        in.skipN(4);
        long superId = in.id(idSize);
        in.skipN(5L * idSize + 4);
        int constants = in.readUnsignedShort();
        for (int i = 0; i < constants; i++) {
            in.skipN(2);
            in.skipN(valueSize(in.readUnsignedByte()));
        }
        int statics = in.readUnsignedShort();
        for (int i = 0; i < statics; i++) {
            in.skipN(idSize);
            int t = in.readUnsignedByte();
            if (t == 2) {
                long ref = in.id(idSize);
                if (wanted != null && ref != 0 && wanted.contains(ref) && holderOf.putIfAbsent(ref, classId) == null) {
                    classOfHolder.put(classId, "static field of " + classNames.getOrDefault(classId, "?"));
                }
            } else {
                in.skipN(valueSize(t));
            }
        }
        int fields = in.readUnsignedShort();
        byte[] types = new byte[fields];
        for (int i = 0; i < fields; i++) {
            in.skipN(idSize);
            types[i] = (byte) in.readUnsignedByte();
        }
        superOf.put(classId, superId);
        fieldTypes.put(classId, types);
    }

    private void skipSubRecord(int tag, Input in, boolean layouts) throws IOException {
        switch (tag) {
            case ROOT_UNKNOWN, ROOT_STICKY_CLASS, ROOT_MONITOR_USED -> in.skipN(idSize);
            case ROOT_JNI_GLOBAL -> in.skipN(2L * idSize);
            case ROOT_JNI_LOCAL, ROOT_JAVA_FRAME -> in.skipN(idSize + 8L);
            case ROOT_NATIVE_STACK, ROOT_THREAD_BLOCK -> in.skipN(idSize + 4L);
            case ROOT_THREAD_OBJECT -> in.skipN(idSize + 8L);
            case CLASS_DUMP -> readClass(in, null, null);
            case INSTANCE_DUMP -> {
                in.skipN(idSize + 4L + idSize);
                in.skipN(in.readInt() & 0xFFFFFFFFL);
            }
            case OBJ_ARRAY_DUMP -> {
                in.skipN(idSize + 4L);
                int length = in.readInt();
                in.skipN(idSize + (long) length * idSize);
            }
            case PRIM_ARRAY_DUMP -> {
                in.skipN(idSize + 4L);
                int length = in.readInt();
                in.skipN((long) length * elementSize(in.readUnsignedByte()));
            }
            default -> throw new IOException("unknown heap dump sub-record 0x" + Integer.toHexString(tag) + " at " + in.position());
        }
    }

    private int valueSize(int type) {
        return type == 2 ? idSize : elementSize(type);
    }

    private static int elementSize(int type) {
        return switch (type) {
            case 4, 8 -> 1;
            case 5, 9 -> 2;
            case 6, 10 -> 4;
            case 7, 11 -> 8;
            default -> throw new IllegalArgumentException("basic type " + type);
        };
    }

    /** A counted, buffered big-endian reader. */
    private static final class Input extends DataInputStream {
        private final Counting counting;

        Input(Path file) throws IOException {
            this(new Counting(new BufferedInputStream(Files.newInputStream(file), 1 << 16)));
        }

        private Input(Counting c) {
            super(c);
            this.counting = c;
        }

        long position() {
            return counting.position;
        }

        long id(int size) throws IOException {
            return size == 4 ? readInt() & 0xFFFFFFFFL : readLong();
        }

        void skipN(long n) throws IOException {
            while (n > 0) {
                long skipped = super.skip(n);
                if (skipped <= 0) {
                    readByte();
                    skipped = 1;
                }
                n -= skipped;
            }
        }
    }

    private static final class Counting extends java.io.FilterInputStream {
        long position;

        Counting(java.io.InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                position++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            position += s;
            return s;
        }
    }
}
