package io.linkgate.alarm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Active alarms and a bounded history of cleared ones. Written by several verticles (links, config reload), read by
 * the API: one of the few structures that is truly shared, so its methods are synchronized (low rate).
 */
public final class AlarmRegistry {
  private static final Logger log = LoggerFactory.getLogger(AlarmRegistry.class);
  static final int MAX_HISTORY = 1000;

  private final Map<String, Alarm> active = new LinkedHashMap<>();
  private final Deque<Alarm> history = new ArrayDeque<>();

  /** Raises the alarm, or updates its message and details if it is already active. */
  public synchronized void activate(String name, String message, Map<String, String> details) {
    Alarm current = active.get(name);
    if (current != null && current.message().equals(message) && current.details().equals(details)) {
      return;
    }
    long since = current == null ? System.currentTimeMillis() : current.activatedAt();
    active.put(name, new Alarm(name, message, Map.copyOf(details), since, 0));
    if (current == null) {
      log.warn("alarm raised [alarm: {}, message: {}]", name, message);
    }
  }

  public synchronized void deactivate(String name) {
    Alarm a = active.remove(name);
    if (a != null) {
      history.addFirst(new Alarm(a.name(), a.message(), a.details(), a.activatedAt(), System.currentTimeMillis()));
      while (history.size() > MAX_HISTORY) {
        history.removeLast();
      }
      log.info("alarm cleared [alarm: {}]", name);
    }
  }

  public synchronized List<Alarm> active() {
    return List.copyOf(active.values());
  }

  /** Cleared alarms, newest first. */
  public synchronized List<Alarm> history() {
    return new ArrayList<>(history);
  }

  public synchronized Alarm get(String name) {
    return active.get(name);
  }
}
