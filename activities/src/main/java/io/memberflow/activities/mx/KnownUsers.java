package io.memberflow.activities.mx;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The MX guids of users this worker has created or found, by the client's user id, so that a user's
 * next member is created without a call for the user. The most recently used are kept, up to a
 * bound; a guid MX no longer knows is forgotten by whoever finds out.
 */
final class KnownUsers {

  private final Map<String, String> guids;

  KnownUsers(int capacity) {
    this.guids =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The user's guid, or null when this worker has not seen the user (or forgot it). */
  synchronized String guidOf(String userId) {
    return guids.get(userId);
  }

  synchronized void remember(String userId, String guid) {
    guids.put(userId, guid);
  }

  synchronized void forget(String userId) {
    guids.remove(userId);
  }
}
