package io.linkgate.broker;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The destinations of one published message: its matching regular subscriptions merged per session, and one member
 * per matching share group. A session gets one copy however many of its subscriptions match (MQTT 5 §3.3.4 allows
 * it, and it is what clients expect): the highest QoS they grant, all their subscription identifiers (each once),
 * and the retain flag kept if any of them has retain-as-published. A no-local subscription matching its own
 * client's message contributes nothing, neither QoS nor identifier nor retain-as-published [MQTT-3.8.3-3]. Share
 * groups stay separate deliveries, as the spec has them.
 *
 * <p>Matching runs to the end before anything is delivered, and the merge state lives in arrays reused from publish
 * to publish (they grow to the largest fan-out seen, never shrink): matching allocates nothing per subscriber, and
 * delivering allocates one {@link Delivery} per destination (plus an array when several identifiers merge into a
 * set the session did not get last time). A session finds its slot through the mark it carries
 * ({@link Session#fanoutMark}), unique per use. Owned by the broker thread; a publish started while another one
 * delivers (a will, say) takes a fresh instance, so delivering never disturbs a fan-out in progress.
 */
final class Fanout implements Consumer<Subscription> {
  private Message message;
  private long mark;
  private int size;
  private Session[] sessions = new Session[8];
  private int[] qos = new int[8];
  private boolean[] retain = new boolean[8];
  /** Distinct subscription identifiers per slot, {@code idCount[i]} of them in {@code ids[i]}. */
  private int[][] ids = new int[8][];
  private int[] idCount = new int[8];
  private int picked;
  private Subscription[] members = new Subscription[4];
  private SharedGroup[] groups = new SharedGroup[4];
  /** The share-group visitor for {@link SubscriptionIndex#match}, made once. */
  final Consumer<SharedGroup> sharedVisitor = this::pick;

  /** Starts collecting for a message; {@code mark} must be new to every session (a counter of the broker's). */
  Fanout begin(Message message, long mark) {
    this.message = message;
    this.mark = mark;
    return this;
  }

  /** A matching regular subscription. */
  @Override
  public void accept(Subscription sub) {
    Session s = sub.session();
    if (sub.noLocal() && s.clientId.equals(message.publisherId())) {
      return;
    }
    int slot;
    if (s.fanoutMark == mark) {
      slot = s.fanoutSlot;
    } else {
      slot = newSlot(s);
    }
    qos[slot] = Math.max(qos[slot], Math.min(message.qos(), sub.qos()));
    retain[slot] |= sub.retainAsPublished() && message.retain();
    if (sub.subscriptionId() > 0) {
      addId(slot, sub.subscriptionId());
    }
  }

  private int newSlot(Session s) {
    if (size == sessions.length) {
      int n = size * 2;
      sessions = Arrays.copyOf(sessions, n);
      qos = Arrays.copyOf(qos, n);
      retain = Arrays.copyOf(retain, n);
      ids = Arrays.copyOf(ids, n);
      idCount = Arrays.copyOf(idCount, n);
    }
    int slot = size++;
    sessions[slot] = s;
    qos[slot] = 0;
    retain[slot] = false;
    idCount[slot] = 0;
    s.fanoutMark = mark;
    s.fanoutSlot = slot;
    return slot;
  }

  private void addId(int slot, int id) {
    int n = idCount[slot];
    int[] buf = ids[slot];
    for (int i = 0; i < n; i++) {
      if (buf[i] == id) {
        return; // filters of one SUBSCRIBE share its identifier: once is enough
      }
    }
    if (buf == null || n == buf.length) {
      ids[slot] = buf = buf == null ? new int[2] : Arrays.copyOf(buf, n * 2);
    }
    buf[n] = id;
    idCount[slot] = n + 1;
  }

  private void pick(SharedGroup group) {
    Subscription member = group.pick(null);
    if (member == null) {
      return;
    }
    if (picked == members.length) {
      members = Arrays.copyOf(members, picked * 2);
      groups = Arrays.copyOf(groups, picked * 2);
    }
    members[picked] = member;
    groups[picked++] = group;
  }

  /**
   * The merged identifiers as an array of their own (deliveries keep it while they wait). The same overlapping
   * filters tend to match again and again, so a session's last array is reused when it holds the same identifiers:
   * arrays handed to deliveries are never written again.
   */
  private static int[] mergedIds(Session s, int[] buf, int n) {
    int[] last = s.lastMergedIds;
    if (last != null && Arrays.equals(last, 0, last.length, buf, 0, n)) {
      return last;
    }
    return s.lastMergedIds = Arrays.copyOf(buf, n);
  }

  /** Hands each destination its copy and clears the collection; returns how many destinations there were. */
  int deliver() {
    Message m = message;
    int destinations = size + picked;
    try {
      for (int i = 0; i < size; i++) {
        Session s = sessions[i];
        sessions[i] = null;
        int n = idCount[i];
        int[] several = n > 1 ? mergedIds(s, ids[i], n) : null;
        s.deliver(new Delivery(m, qos[i], retain[i], n == 1 ? ids[i][0] : 0, several, null));
      }
      // no-local is refused on shared subscriptions [MQTT-3.8.3-4], so a member never has to be skipped
      for (int i = 0; i < picked; i++) {
        Subscription sub = members[i];
        members[i] = null;
        int q = Math.min(m.qos(), sub.qos());
        sub.session().deliver(new Delivery(m, q, sub.retainAsPublished() && m.retain(), sub.subscriptionId(),
          null, groups[i]));
        groups[i] = null;
      }
    } finally {
      size = 0;
      picked = 0;
      message = null;
    }
    return destinations;
  }
}
