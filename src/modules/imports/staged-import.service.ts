// Starting an import from a staged upload (API side). The work itself runs in the import job.
import { userError, UserError } from '../../graphql/user-error';
import { fromGlobalId } from '../../graphql/global-id';
import type { JobService } from '../jobs/job.service';
import type { JobRow } from '../jobs/job.repository';
import type { UploadService } from '../uploads/upload.service';
import { IMPORT_KINDS, ImportKind } from './import.types';

export class StagedImportService {
  constructor(private readonly jobs: JobService, private readonly uploads: UploadService) {}

  async start(merchantId: number, stagedUploadGid: string, kind: string): Promise<{ job: JobRow | null; userErrors: UserError[] }> {
    if (!(IMPORT_KINDS as readonly string[]).includes(kind)) {
      return { job: null, userErrors: [userError(`kind must be one of ${IMPORT_KINDS.join(', ')}`, 'INVALID', ['kind'])] };
    }
    const uploadId = fromGlobalId(stagedUploadGid, 'StagedUpload');
    const upload = uploadId ? await this.uploads.find(merchantId, uploadId) : null;
    if (!upload) return { job: null, userErrors: [userError('No staged upload with this id', 'NOT_FOUND', ['stagedUploadId'])] };
    if (!upload.completedAt) {
      return { job: null, userErrors: [userError('The staged upload has no content yet: PUT the file to its URL first', 'UPLOAD_INCOMPLETE', ['stagedUploadId'])] };
    }
    if (upload.expiresAt < new Date()) {
      return { job: null, userErrors: [userError('The staged upload has expired; stage the file again', 'EXPIRED', ['stagedUploadId'])] };
    }
    const job = await this.jobs.start(merchantId, 'import', { uploadId: upload.id, kind: kind as ImportKind });
    return { job, userErrors: [] };
  }
}
