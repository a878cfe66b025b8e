/** Query machinery shared by the head and persisted blocks: matcher-to-postings planning, merging series sets. */
package io.tsdb4j.query;
