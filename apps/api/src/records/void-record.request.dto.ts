import { ApiProperty } from '@nestjs/swagger';
import { BackdatableRequestDto } from '../shared/backdatable.request.dto.js';

export class VoidRecordRequestDto extends BackdatableRequestDto {
  @ApiProperty({
    example: 'Attendance recorded for the wrong participant',
    maxLength: 1000,
    description: 'Required (400 COMMAND.FIELD_REQUIRED without it): the RecordVoided event keeps it.',
  })
  declare reason?: string;
}
