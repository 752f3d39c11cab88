import type { Db, ObjectId } from 'mongodb';

/**
 * Removes a GridFS file: its chunks first, then its files document. GridFSBucket.delete does the
 * reverse, so a crash between would leave chunks that nothing names; in this order it leaves a
 * files document, which the orphan sweeper finds by its owner's missing record. A file that is
 * already gone (or was never finished) is not an error, so clean-up can be retried.
 */
export async function deleteGridFsFile(db: Db, bucketName: string, fileId: ObjectId): Promise<void> {
  await db.collection(`${bucketName}.chunks`).deleteMany({ files_id: fileId });
  await db.collection(`${bucketName}.files`).deleteOne({ _id: fileId });
}
