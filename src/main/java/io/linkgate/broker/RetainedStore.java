package io.linkgate.broker;

import io.linkgate.topic.Topics;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Retained messages in a tree of topic levels, so a SUBSCRIBE walks only the branches its filter can reach instead of
 * scanning every retained topic. Owned by the broker thread.
 */
final class RetainedStore {

  private static final class Node {
    Map<String, Node> children;
    Message message;

    Node child(String level) {
      return children == null ? null : children.get(level);
    }
  }

  private final Node root = new Node();
  private int size;

  int size() {
    return size;
  }

  /** Stores the message, or deletes the topic's retained message when the payload is empty. */
  void put(Message message) {
    String[] levels = message.topic().split("/", -1);
    if (message.payload().length() == 0) {
      remove(root, levels, 0);
      return;
    }
    Node node = root;
    for (String level : levels) {
      if (node.children == null) {
        node.children = new HashMap<>(4);
      }
      node = node.children.computeIfAbsent(level, l -> new Node());
    }
    if (node.message == null) {
      size++;
    }
    node.message = message;
  }

  /** Returns true if the node became empty and can be pruned by its parent. */
  private boolean remove(Node node, String[] levels, int depth) {
    if (depth == levels.length) {
      if (node.message != null) {
        node.message = null;
        size--;
      }
    } else {
      Node child = node.child(levels[depth]);
      if (child != null && remove(child, levels, depth + 1)) {
        node.children.remove(levels[depth]);
      }
    }
    return node.message == null && (node.children == null || node.children.isEmpty());
  }

  /** Visits the retained messages whose topics match the filter; expired ones are dropped on the way. */
  void match(String filter, long now, Consumer<Message> visitor) {
    String[] levels = filter.split("/", -1);
    walk(root, levels, 0, now, visitor);
  }

  private void walk(Node node, String[] levels, int depth, long now, Consumer<Message> visitor) {
    if (depth == levels.length) {
      emit(node, now, visitor);
      return;
    }
    String level = levels[depth];
    if (node.children == null) {
      if (level.equals("#")) {
        emit(node, now, visitor); // "a/#" matches "a" itself
      }
      return;
    }
    if (level.equals("#")) {
      emit(node, now, visitor);
      for (Map.Entry<String, Node> e : node.children.entrySet()) {
        if (depth == 0 && Topics.isDollarTopic(e.getKey())) {
          continue;
        }
        emitAll(e.getValue(), now, visitor);
      }
    } else if (level.equals("+")) {
      for (Map.Entry<String, Node> e : node.children.entrySet()) {
        if (depth == 0 && Topics.isDollarTopic(e.getKey())) {
          continue;
        }
        walk(e.getValue(), levels, depth + 1, now, visitor);
      }
    } else {
      Node child = node.children.get(level);
      if (child != null) {
        walk(child, levels, depth + 1, now, visitor);
      }
    }
  }

  private void emitAll(Node node, long now, Consumer<Message> visitor) {
    emit(node, now, visitor);
    if (node.children != null) {
      for (Node child : node.children.values()) {
        emitAll(child, now, visitor);
      }
    }
  }

  private void emit(Node node, long now, Consumer<Message> visitor) {
    Message m = node.message;
    if (m != null) {
      if (m.isExpired(now)) {
        node.message = null; // pruned on the next delete of this branch
        size--;
      } else {
        visitor.accept(m);
      }
    }
  }
}
